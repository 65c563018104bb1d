package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport request}: asks for a maintenance window on one or more targets. */
@Command(name = "request", mixinStandardHelpOptions = true,
        description = {"Ask for a maintenance window on one or more devices (vendor technicians).",
                "The request starts PENDING; a supervisor of the devices' site must approve it before you can connect.",
                "Example: sallyport request --target cam-anz-01 --duration 45m --reason \"replace focus motor\" --ticket CHG-1234"})
public final class RequestCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Option(names = {"-t", "--target"}, paramLabel = "TARGET", required = true,
            description = "Device id to reach (repeat for several, at most 10).")
    List<String> targets;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", required = true,
            description = "How long the window lasts: 45m, 2h, 1h30m or ISO-8601 (PT45M); the policy sets a maximum.")
    String duration;

    @Option(names = {"-r", "--reason"}, paramLabel = "TEXT", required = true,
            description = "What you will do and why (3 to 1000 characters); supervisors read this.")
    String reason;

    @Option(names = {"-k", "--ticket"}, paramLabel = "ID", required = true,
            description = "Change or incident ticket this work belongs to.")
    String ticket;

    @Option(names = "--start", paramLabel = "TIME",
            description = "When the window opens, ISO-8601 with offset, e.g. 2025-06-01T14:00:00Z (default: now; at most 30 days ahead).")
    String start;

    public RequestCommand() {
        this(CliEnvironment.system());
    }

    public RequestCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targets", targets);
        if (start != null) body.put("start", startInstant());
        body.put("duration", duration);
        body.put("reason", reason);
        body.put("ticket", ticket);
        JsonNode created;
        try (ApiClient api = authenticatedClient()) {
            created = api.post("/api/requests", body);
        }
        if (output.json()) {
            printJson(created);
        } else {
            int needs = created.path("approvalsRequired").asInt(1);
            println("Request " + Table.text(created, "id") + " is " + Table.text(created, "state")
                    + " (needs " + needs + " approval(s))");
        }
        return ClientExitCodes.OK;
    }

    private String startInstant() {
        try {
            return OffsetDateTime.parse(start).toInstant().toString();
        } catch (DateTimeParseException e) {
            throw new UnusableInputException("start: not an ISO-8601 time with offset, e.g. 2025-06-01T14:00:00Z: " + start);
        }
    }
}
