package org.ddpp.ops;

import picocli.CommandLine;

/**
 * Turns a failure inside a subcommand into one readable line on stderr and a non-zero exit code, so a user
 * with a wrong path or value never sees a stack trace (set {@code DDPP_DEBUG=1} to get it).
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
        if (System.getenv("DDPP_DEBUG") != null) {
            ex.printStackTrace(commandLine.getErr());
        }
        return ex instanceof IllegalArgumentException || ex instanceof java.nio.file.NoSuchFileException
                || ex instanceof org.ddpp.runtime.UnreachableAtStartException ? 2 : 1;
    }
}
