package io.jipc;

import java.util.List;
import java.util.Objects;

/**
 * node-ipc's {@code config.tls} options, with node-ipc's names and meanings.
 *
 * <p>Immutable and thread-safe. <strong>Not yet acted on:</strong> jipc currently serves and connects
 * over Unix sockets only; these options are accepted, validated for shape, and carried in
 * {@link IpcConfig} so that configuration written today keeps working when the TLS transport lands.
 *
 * @param privateKey         {@code private}: path of the PEM private key, or {@code null}
 * @param publicCert         {@code public}: path of the PEM certificate (chain), or {@code null}
 * @param trustedConnections {@code trustedConnections}: CA PEM paths, never {@code null} (may be empty)
 * @param requestCert        {@code requestCert}: a server asks clients for a certificate
 * @param rejectUnauthorized {@code rejectUnauthorized}: verify the peer (default {@code true})
 * @param dhparam            {@code dhparam}: accepted for compatibility; JSSE chooses DH groups itself
 */
public record TlsOptions(String privateKey, String publicCert, List<String> trustedConnections,
                         boolean requestCert, boolean rejectUnauthorized, String dhparam) {

    /** Copies the CA list and checks that it holds no {@code null}. */
    public TlsOptions {
        trustedConnections = List.copyOf(Objects.requireNonNullElse(trustedConnections, List.of()));
    }

    /** Options with nothing set and verification on, as node's TLS defaults are. */
    public static TlsOptions defaults() {
        return new TlsOptions(null, null, List.of(), false, true, null);
    }
}
