package org.sallyport.policy.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy that cannot be used. Carries every problem found (file, line, message), so an admin fixes
 * them all in one pass; the message lists them one per line.
 */
public final class PolicyLoadException extends RuntimeException {
    private final List<PolicyProblem> problems;

    public PolicyLoadException(List<PolicyProblem> problems) {
        super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    static PolicyLoadException at(String file, int line, String message) {
        return new PolicyLoadException(List.of(new PolicyProblem(file, line, message)));
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
