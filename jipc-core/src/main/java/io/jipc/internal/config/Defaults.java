package io.jipc.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Defaults that depend on the machine: host name, per-user socket root, the shared JSON mapper. */
public final class Defaults {
    /** Deepest nesting accepted in a frame: the envelope plus {@code JsonStringify.MAX_DEPTH} levels of data. */
    public static final int MAX_NESTING_DEPTH = 1001;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private Defaults() {
    }

    /** The mapper used when the configuration names none; thread-safe and shared. */
    public static JsonMapper jsonMapper() {
        return MAPPER;
    }

    /** {@code os.hostname()}: the kernel's host name, falling back to {@code HOSTNAME} or "localhost". */
    public static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * node-ipc 14's default root: {@code $XDG_RUNTIME_DIR/node-ipc/} when that variable names a
     * directory, else {@code <java.io.tmpdir>/node-ipc-<uid>/}. The directory is not created here;
     * a server creates it (0700) when it binds.
     */
    public static String modernSocketRoot() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty() && Files.isDirectory(Path.of(xdg))) {
            return withSlash(xdg) + "node-ipc/";
        }
        return withSlash(System.getProperty("java.io.tmpdir")) + "node-ipc-" + uid() + "/";
    }

    /** The current user's numeric uid where the platform exposes it, else the user name. */
    static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return String.valueOf(uid);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("user.name", "user");
        }
    }

    private static String withSlash(String dir) {
        return dir.endsWith("/") ? dir : dir + "/";
    }
}
