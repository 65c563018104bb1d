package org.sallyport.policy.eval;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;

/**
 * A compiled, type-checked CEL condition. {@link #ALWAYS} stands for a rule without {@code when}.
 *
 * <p>Threading: immutable and safe to share; CEL programs are thread-safe.
 */
public final class Condition {
    static final Condition ALWAYS = new Condition("true", null);

    private final String source;
    private final CelRuntime.Program program;

    Condition(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
    }

    public String source() {
        return source;
    }

    /** @throws ConditionFailedException when evaluation fails at run time (callers fail closed) */
    boolean test(Map<String, Object> activation) {
        if (program == null) return true;
        try {
            Object r = program.eval(activation);
            if (r instanceof Boolean b) return b;
            throw new ConditionFailedException("condition did not yield a bool: " + r);
        } catch (CelEvaluationException e) {
            throw new ConditionFailedException(e.getMessage().lines().findFirst().orElse("evaluation failed"));
        }
    }

    /** A condition that could not be evaluated; the caller decides the fail-closed outcome. */
    static final class ConditionFailedException extends RuntimeException {
        ConditionFailedException(String message) {
            super(message);
        }
    }
}
