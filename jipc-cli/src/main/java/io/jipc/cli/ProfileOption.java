package io.jipc.cli;

import io.jipc.PayloadProfile;
import picocli.CommandLine.Option;

/**
 * The mutually exclusive {@code --legacy | --modern} options: which node-ipc generation's rules
 * (payload normalisation and default socket root) an instance follows.
 */
final class ProfileOption {
    @Option(names = "--legacy",
        description = "node-ipc 9-12 rules: empty payloads sent as {}, default socket root /tmp/.")
    boolean legacy;

    @Option(names = "--modern",
        description = "node-ipc 14 rules (the default): payloads sent as they are, per-user socket root.")
    boolean modern;

    /** @return the chosen profile; {@link PayloadProfile#MODERN} when {@code option} is absent */
    static PayloadProfile of(ProfileOption option) {
        return option != null && option.legacy ? PayloadProfile.LEGACY : PayloadProfile.MODERN;
    }
}
