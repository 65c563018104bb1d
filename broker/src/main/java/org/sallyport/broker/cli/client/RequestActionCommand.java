package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Base of approve, deny, cancel and revoke: {@code POST /api/requests/{id}/<action>} and print the request's state
 * afterwards (with its grants, if any).
 */
abstract class RequestActionCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ID", description = "Id of the access request (see sallyport requests).")
    String id;

    RequestActionCommand(CliEnvironment environment) {
        super(environment);
    }

    /** Path segment of the action: approve, deny, cancel, revoke. */
    abstract String action();

    /** The comment to send, or {@code null} for an action without a body. */
    abstract String comment();

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        if (id.isBlank()) throw new UnusableInputException("id: must not be empty");
        String comment = comment();
        if (comment != null && comment.isBlank()) throw new UnusableInputException("comment: must not be empty");
        JsonNode request;
        try (ApiClient api = authenticatedClient()) {
            request = api.post("/api/requests/" + ApiClient.segment(id) + "/" + action(),
                    comment == null ? null : Map.of("comment", comment));
        }
        if (output.json()) {
            printJson(request);
        } else {
            printText(request);
        }
        return ClientExitCodes.OK;
    }

    private void printText(JsonNode r) {
        String state = Table.text(r, "state");
        StringBuilder line = new StringBuilder("Request ").append(Table.text(r, "id")).append(" is ").append(state);
        if ("PENDING".equals(state)) {
            long approvals = 0;
            for (JsonNode a : r.path("approvals")) if ("APPROVE".equals(Table.text(a, "verdict"))) approvals++;
            line.append(" (").append(approvals).append(" of ").append(r.path("approvalsRequired").asInt(1))
                    .append(" approval(s))");
        }
        println(line.toString());
        for (JsonNode g : r.path("grants")) {
            println("  grant " + Table.text(g, "id") + ": " + Table.text(g, "targetId") + " for " + Table.text(g, "username")
                    + " from " + Table.text(g, "notBefore") + " until " + Table.text(g, "notAfter")
                    + " (" + Table.text(g, "status") + ")");
        }
    }
}
