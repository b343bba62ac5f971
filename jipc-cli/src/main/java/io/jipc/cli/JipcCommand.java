package io.jipc.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code jipc} command: node-ipc for the JVM from the shell. Holds the subcommands
 * ({@link ServeCommand serve}, {@link ConnectCommand connect}, {@link DemoCommand demo}) and the
 * entry point.
 *
 * <p>Output streams are picocli's {@link CommandLine#getOut()} / {@link CommandLine#getErr()}, so a
 * caller (a test) can run the whole command in-process with its own writers via
 * {@link #commandLine(PrintWriter, PrintWriter)}. {@link #main} sets both to UTF-8 on the process's
 * stdout/stderr: events are JSON, and JSON is UTF-8 whatever the locale says.
 */
@Command(name = "jipc",
    mixinStandardHelpOptions = true,
    versionProvider = JipcCommand.Version.class,
    description = "node-ipc for the JVM: serve and connect to node-ipc compatible services over Unix sockets, "
        + "TCP, TLS and UDP.",
    subcommands = {ServeCommand.class, ConnectCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:failure (cannot listen, cannot connect or retries exhausted, TLS handshake failed, timeout, connection lost)",
        "2:invalid usage (e.g. flags that do not combine), invalid JSON argument or unusable TLS file"})
public final class JipcCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a subcommand: a usage error listing the commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: serve, connect or demo");
    }

    /**
     * The command line, ready to {@link CommandLine#execute execute}, writing to {@code out} and
     * {@code err} (also for every subcommand).
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new JipcCommand()).setOut(out).setErr(err);
        return cl.setParameterExceptionHandler(new OtherCommandOption(cl.getParameterExceptionHandler()));
    }

    /** Runs the command with the process's stdout/stderr and exits with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = utf8(new FileOutputStream(FileDescriptor.out));
        PrintWriter err = utf8(new FileOutputStream(FileDescriptor.err));
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static PrintWriter utf8(FileOutputStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JipcCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jipc " + (v == null ? "(development build)" : v)};
        }
    }
}
