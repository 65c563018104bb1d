package org.sallyport.policy.eval;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.sallyport.policy.model.PolicyContext;

/**
 * The CEL environment of policy conditions: the documented variables (see POLICY.md) with their types,
 * so that a misspelt field or a type error is a load error, never a run-time surprise.
 */
public final class Conditions {
    /** Variable name to CEL type: the whole documented context. */
    public static final Map<String, CelType> VARIABLES;

    static {
        Map<String, CelType> v = new LinkedHashMap<>();
        v.put("requester.user", SimpleType.STRING);
        v.put("requester.org", SimpleType.STRING);
        v.put("requester.groups", ListType.create(SimpleType.STRING));
        v.put("target.id", SimpleType.STRING);
        v.put("target.site", SimpleType.STRING);
        v.put("target.kind", SimpleType.STRING);
        v.put("target.tags", ListType.create(SimpleType.STRING));
        v.put("request.start", SimpleType.TIMESTAMP);
        v.put("request.end", SimpleType.TIMESTAMP);
        v.put("request.duration", SimpleType.DURATION);
        v.put("request.reason", SimpleType.STRING);
        v.put("request.ticket", SimpleType.STRING);
        v.put("time.hour", SimpleType.INT);
        v.put("time.minute", SimpleType.INT);
        v.put("time.clock", SimpleType.STRING);
        v.put("time.weekday", SimpleType.STRING);
        v.put("time.date", SimpleType.STRING);
        v.put("time.zone", SimpleType.STRING);
        v.put("session.bytesIn", SimpleType.INT);
        v.put("session.bytesOut", SimpleType.INT);
        v.put("session.bytes", SimpleType.INT);
        v.put("session.elapsed", SimpleType.DURATION);
        VARIABLES = java.util.Collections.unmodifiableMap(v);
    }

    private static final CelCompiler COMPILER;
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    static {
        var b = CelCompilerFactory.standardCelCompilerBuilder().setResultType(SimpleType.BOOL);
        VARIABLES.forEach(b::addVar);
        COMPILER = b.build();
    }

    private Conditions() {}

    /**
     * Parses and type-checks a condition.
     *
     * @throws IllegalArgumentException with CEL's message, its first line prefixed by the column
     */
    public static Condition compile(String expression) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return new Condition(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException(celMessage(e.getMessage()));
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** CEL reports "ERROR: <input>:1:16: text" followed by a caret diagram; keep the text and the caret lines. */
    private static String celMessage(String raw) {
        return raw.replace("ERROR: <input>:", "at ").strip();
    }

    /** The variables for one context; {@code zone} is the target site's time zone. */
    static Map<String, Object> activation(PolicyContext c, ZoneId zone) {
        Map<String, Object> a = new HashMap<>();
        a.put("requester.user", c.requester().user());
        a.put("requester.org", c.requester().org());
        a.put("requester.groups", c.requester().groups().stream().sorted().toList());
        a.put("target.id", c.target().id());
        a.put("target.site", c.target().site());
        a.put("target.kind", c.target().kind());
        a.put("target.tags", c.target().tags().stream().sorted().toList());
        a.put("request.start", c.request().start());
        a.put("request.end", c.request().end());
        a.put("request.duration", c.request().duration());
        a.put("request.reason", c.request().reason());
        a.put("request.ticket", c.request().ticket());
        ZonedDateTime local = c.at().atZone(zone);
        a.put("time.hour", (long) local.getHour());
        a.put("time.minute", (long) local.getMinute());
        a.put("time.clock", String.format(Locale.ROOT, "%02d:%02d", local.getHour(), local.getMinute()));
        a.put("time.weekday", weekday(local.getDayOfWeek()));
        a.put("time.date", local.toLocalDate().toString());
        a.put("time.zone", zone.getId());
        a.put("session.bytesIn", c.session().bytesIn());
        a.put("session.bytesOut", c.session().bytesOut());
        a.put("session.bytes", c.session().bytesIn() + c.session().bytesOut());
        a.put("session.elapsed", c.session().elapsed());
        return a;
    }

    /** MON, TUE, ... as in policy files. */
    static String weekday(DayOfWeek d) {
        return d.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT);
    }
}
