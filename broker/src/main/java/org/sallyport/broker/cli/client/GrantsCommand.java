package org.sallyport.broker.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sallyport grants}: the grants (approved windows per target) the caller may see. */
@Command(name = "grants", mixinStandardHelpOptions = true,
        description = {"List grants: the time windows in which an approved request lets a user reach a device.",
                "Vendors see their own, supervisors their sites', inspectors and admins all."})
public final class GrantsCommand extends ClientCommand {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    public GrantsCommand() {
        this(CliEnvironment.system());
    }

    public GrantsCommand(CliEnvironment environment) {
        super(environment);
    }

    @Override
    ConnectionOptions connection() {
        return connection;
    }

    @Override
    public Integer call() {
        JsonNode list;
        try (ApiClient api = authenticatedClient()) {
            list = api.get("/api/grants");
        }
        if (output.json()) {
            printJson(list);
            return ClientExitCodes.OK;
        }
        Table t = new Table("ID", "TARGET", "USER", "NOT BEFORE", "NOT AFTER", "STATUS");
        for (JsonNode g : list) {
            t.row(Table.text(g, "id"), Table.text(g, "targetId"), Table.text(g, "username"), Table.text(g, "notBefore"),
                    Table.text(g, "notAfter"), Table.text(g, "status"));
        }
        t.print(out());
        return ClientExitCodes.OK;
    }
}
