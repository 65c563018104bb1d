package org.sallyport.broker.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sallyport.policy.load.PolicyLoadException;
import org.sallyport.policy.load.PolicyLoader;
import org.sallyport.policy.testing.PolicyTestRunner;
import org.sallyport.policy.testing.TestReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sallyport policy test|check}: offline tools for policy files (policy-rules/POLICY.md). Exit codes:
 * 0 all passed / valid, 1 a test failed, 2 unusable input (a policy that does not load, a malformed test).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Test or check policy files offline (no broker needed).",
        subcommands = {PolicyCommand.Test.class, PolicyCommand.Check.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run the *_test.yaml cases of every policy directory under DIR, like `opa test`.",
                    "Each directory holding policy files is one policy; its test files run against it."})
    static final class Test implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DIR", description = "a policy directory, or a folder of them")
        Path dir;
        @Option(names = {"-v", "--verbose"}, description = "list passing cases too")
        boolean verbose;

        @Override
        public Integer call() {
            TestReport report = PolicyTestRunner.run(dir);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            report.print(new PrintStream(buf, true, StandardCharsets.UTF_8), verbose);
            (report.exitCode() == 0 ? spec.commandLine().getOut() : spec.commandLine().getErr())
                    .print(buf.toString(StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
            return report.exitCode();
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load and validate one policy directory the way the broker would; print every problem with file and line.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DIR", description = "the policy directory")
        Path dir;

        @Override
        public Integer call() {
            try {
                var p = PolicyLoader.loadDirectory(dir);
                spec.commandLine().getOut().println(dir + ": valid, " + p.ruleCount() + " rules, fingerprint " + p.fingerprint());
                return ExitCodes.OK;
            } catch (PolicyLoadException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.USAGE;
            }
        }
    }
}
