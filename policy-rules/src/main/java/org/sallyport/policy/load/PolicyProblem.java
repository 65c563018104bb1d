package org.sallyport.policy.load;

/**
 * One thing wrong with a policy file.
 *
 * @param file file name as the loader saw it
 * @param line 1-based line, 0 when the problem concerns the whole file or bundle
 */
public record PolicyProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
