package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sallyport requests}: the access requests the caller may see, newest first. */
@Command(name = "requests", mixinStandardHelpOptions = true,
        description = {"List access requests you may see, newest first: vendors see their organisation's,"
                + " supervisors their sites', inspectors and admins all."})
public final class RequestsCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Option(names = {"-s", "--state"}, paramLabel = "STATE",
            description = "Only requests in this state: PENDING, APPROVED, DENIED, CANCELLED, EXPIRED or REVOKED.")
    String state;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "At most N requests (broker default 100, maximum 1000).")
    Integer limit;

    public RequestsCommand() {
        this(CliEnvironment.system());
    }

    public RequestsCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        if (limit != null && limit < 1) throw new UnusableInputException("limit: must be at least 1");
        JsonNode list;
        try (ApiClient api = authenticatedClient()) {
            list = api.get("/api/requests", ApiClient.query("state", state == null ? null : state.toUpperCase(java.util.Locale.ROOT), "limit", limit));
        }
        if (output.json()) {
            printJson(list);
            return ClientExitCodes.OK;
        }
        Table t = new Table("ID", "STATE", "REQUESTER", "TARGETS", "START", "DURATION", "TICKET");
        for (JsonNode r : list) {
            t.row(Table.text(r, "id"), Table.text(r, "state"), Table.text(r, "requester"), Table.list(r, "targets"),
                    Table.text(r, "start"), Table.shortDuration(Table.text(r, "duration")), Table.text(r, "ticket"));
        }
        t.print(out());
        return ClientExitCodes.OK;
    }
}
