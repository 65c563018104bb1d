package org.sallyport.policy.testing;

import java.io.PrintStream;
import java.util.List;

/**
 * What {@link PolicyTestRunner} found: every case's result and every input it could not use (a policy that
 * does not load, a malformed test file, a directory without tests).
 */
public record TestReport(List<TestCaseResult> results, List<String> unusable) {
    public TestReport {
        results = List.copyOf(results);
        unusable = List.copyOf(unusable);
    }

    public long passed() {
        return results.stream().filter(TestCaseResult::passed).count();
    }

    public long failed() {
        return results.size() - passed();
    }

    /** 0 all passed, 1 some failed, 2 some input unusable (the CLI's exit codes). */
    public int exitCode() {
        if (!unusable.isEmpty()) return 2;
        return failed() > 0 ? 1 : 0;
    }

    /** Readable report: failures in full, one line per pass when verbose, then the totals. */
    public void print(PrintStream out, boolean verbose) {
        for (String u : unusable) out.println("ERROR " + u);
        for (TestCaseResult r : results) {
            if (!r.passed()) out.println("FAIL  " + r.location() + " " + r.name() + "\n      " + r.failure().replace("\n", "\n      "));
            else if (verbose) out.println("PASS  " + r.location() + " " + r.name());
        }
        out.println("--------------------------------------------------------------------------------");
        out.println(passed() + " passed, " + failed() + " failed" + (unusable.isEmpty() ? "" : ", " + unusable.size() + " unusable input(s)"));
    }
}
