package org.sallyport.policy.testing;

/**
 * One test case's outcome.
 *
 * @param location file:line of the case
 * @param failure  what differed (expected versus actual), null when it passed
 */
public record TestCaseResult(String location, String name, String failure) {
    public boolean passed() {
        return failure == null;
    }
}
