package io.jipc.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors: an option that belongs to the other of {@code serve}/{@code connect} (e.g.
 * {@code serve --retry}: reconnecting is a client's business; {@code connect --max-connections}) is
 * reported in one line naming the command it belongs to, exit 2. Every other usage error is left to
 * picocli's own handler (its message, then the usage help; also exit 2).
 */
final class OtherCommandOption implements IParameterExceptionHandler {
    private static final List<String> PEERS = List.of("serve", "connect");

    private final IParameterExceptionHandler fallback;

    OtherCommandOption(IParameterExceptionHandler fallback) {
        this.fallback = fallback;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandName();
        if (ex instanceof UnmatchedArgumentException u && PEERS.contains(name) && cmd.getParent() != null
            && !u.getUnmatched().isEmpty()) {
            String flag = u.getUnmatched().get(0).split("=", 2)[0];
            for (String peer : PEERS) {
                CommandLine other = cmd.getParent().getSubcommands().get(peer);
                if (peer.equals(name) || other == null || !flag.startsWith("--")) {
                    continue;
                }
                if (belongs(other, flag)) {
                    cmd.getErr().println("jipc " + name + ": " + flag + " is an option of jipc " + peer
                        + ", not of jipc " + name + " (see jipc " + name + " --help)");
                    cmd.getErr().flush();
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                }
            }
        }
        return fallback.handleParseException(ex, args);
    }

    /** Whether {@code flag} is one of {@code command}'s own options (negated forms included). */
    private static boolean belongs(CommandLine command, String flag) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            for (String name : option.names()) {
                if (name.equals(flag) || (option.negatable() && name.startsWith("--")
                    && flag.equals("--no-" + name.substring(2)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
