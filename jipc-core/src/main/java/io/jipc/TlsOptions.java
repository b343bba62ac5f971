package io.jipc;

import io.netty.handler.ssl.SslContext;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * node-ipc's {@code config.tls}, with node-ipc's names and meanings, plus Java-native inputs.
 * When {@link IpcConfig#tls()} is set, {@link Ipc#serveNet} and {@link Ipc#connectToNet} speak TLS
 * instead of plain TCP (as in node-ipc); with {@link Builder#localSockets(boolean)} Unix sockets do
 * too (a jipc-to-jipc extra; node-ipc has no TLS over Unix sockets).
 *
 * <ul>
 *   <li>{@code private} / {@code public}: PEM key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted) and
 *       certificate chain. Servers need them (or a {@link KeyManagerFactory}); a client that has them
 *       presents a client certificate.</li>
 *   <li>{@code trustedConnections}: CA PEM files to trust instead of the JDK's default trust store.</li>
 *   <li>{@code requestCert}: a server asks for a client certificate; with {@code rejectUnauthorized}
 *       it requires a valid one (mutual TLS).</li>
 *   <li>{@code rejectUnauthorized} (default true): clients verify the server's chain and that its
 *       certificate names the host connected to; false turns all verification off.</li>
 *   <li>{@code dhparam}: accepted for compatibility and ignored — JSSE picks DH groups itself.</li>
 * </ul>
 * Files are read when a server starts or a client is created, so bad files fail early with an
 * {@link IllegalArgumentException} naming the option and the file. Immutable and thread-safe.
 */
public final class TlsOptions {
    private final Builder b;

    private TlsOptions(Builder b) {
        this.b = b;
    }

    /** @return a builder with nothing set and verification on */
    public static Builder builder() {
        return new Builder();
    }

    /** @return {@code private}: key PEM path, or null */
    public String privateKey() { return b.privateKey; }
    /** @return {@code public}: certificate PEM path, or null */
    public String publicCert() { return b.publicCert; }
    /** @return {@code trustedConnections}: CA PEM paths */
    public List<String> trustedConnections() { return b.trustedConnections; }
    /** @return {@code requestCert} */
    public boolean requestCert() { return b.requestCert; }
    /** @return {@code rejectUnauthorized} */
    public boolean rejectUnauthorized() { return b.rejectUnauthorized; }
    /** @return {@code dhparam} path, or null (ignored) */
    public String dhparam() { return b.dhparam; }
    /** @return Java key material, or null */
    public KeyManagerFactory keyManagers() { return b.keyManagers; }
    /** @return Java trust material, or null */
    public TrustManagerFactory trustManagers() { return b.trustManagers; }
    /** @return a complete server context overriding the rest, or null */
    public SslContext serverContext() { return b.serverContext; }
    /** @return a complete client context overriding the rest, or null */
    public SslContext clientContext() { return b.clientContext; }
    /** @return whether Unix sockets use TLS too */
    public boolean localSockets() { return b.localSockets; }
    /** @return whether OpenSSL (netty-tcnative BoringSSL) is used when it loads */
    public boolean preferOpenSsl() { return b.preferOpenSsl; }

    /** @return a builder holding these options, to derive variants from */
    public Builder newBuilder() {
        return b.copy();
    }

    /** Mutable builder; {@link #build()} snapshots it. */
    public static final class Builder {
        String privateKey;
        String publicCert;
        List<String> trustedConnections = List.of();
        boolean requestCert;
        boolean rejectUnauthorized = true;
        String dhparam;
        KeyManagerFactory keyManagers;
        TrustManagerFactory trustManagers;
        SslContext serverContext;
        SslContext clientContext;
        boolean localSockets;
        boolean preferOpenSsl = true;

        Builder() {
        }

        /** @param path {@code private}: PEM key file @return this */
        public Builder privateKey(String path) { privateKey = path; return this; }
        /** @param path {@code public}: PEM certificate (chain) file @return this */
        public Builder publicCert(String path) { publicCert = path; return this; }
        /** @param paths {@code trustedConnections}: CA PEM files @return this */
        public Builder trustedConnections(String... paths) { trustedConnections = List.copyOf(Arrays.asList(paths)); return this; }
        /** @param v {@code requestCert} @return this */
        public Builder requestCert(boolean v) { requestCert = v; return this; }
        /** @param v {@code rejectUnauthorized}; false disables all verification @return this */
        public Builder rejectUnauthorized(boolean v) { rejectUnauthorized = v; return this; }
        /** @param path {@code dhparam}: accepted and ignored (JSSE chooses DH groups) @return this */
        public Builder dhparam(String path) { dhparam = path; return this; }
        /** @param v Java key material instead of PEM files @return this */
        public Builder keyManagers(KeyManagerFactory v) { keyManagers = v; return this; }
        /** @param v Java trust material instead of CA PEM files @return this */
        public Builder trustManagers(TrustManagerFactory v) { trustManagers = v; return this; }
        /** @param v a complete server context; overrides the other server settings @return this */
        public Builder serverContext(SslContext v) { serverContext = v; return this; }
        /** @param v a complete client context; overrides the other client settings @return this */
        public Builder clientContext(SslContext v) { clientContext = v; return this; }
        /** @param v also use TLS on Unix sockets (jipc-to-jipc only) @return this */
        public Builder localSockets(boolean v) { localSockets = v; return this; }

        /**
         * TLS engine: OpenSSL (BoringSSL from the {@code netty-tcnative-boringssl-static} jar jipc ships with)
         * when it loads on this platform, else the JDK's SSLEngine. Default true: on a 2-core machine a flood
         * of 100 B messages ran 3.5x faster and a 32-client broadcast 1.5x faster than with the JDK engine.
         * Same protocols (TLS 1.3, 1.2), verification and options either way.
         * @param v prefer OpenSSL @return this
         */
        public Builder preferOpenSsl(boolean v) { preferOpenSsl = v; return this; }

        /** @return the options @throws IllegalArgumentException if a context has the wrong side */
        public TlsOptions build() {
            if (serverContext != null && !serverContext.isServer()) {
                throw new IllegalArgumentException("tls.serverContext must be a server SslContext but is a client one");
            }
            if (clientContext != null && !clientContext.isClient()) {
                throw new IllegalArgumentException("tls.clientContext must be a client SslContext but is a server one");
            }
            return new TlsOptions(copy());
        }

        Builder copy() {
            Builder copy = new Builder();
            copy.privateKey = privateKey; copy.publicCert = publicCert; copy.trustedConnections = trustedConnections;
            copy.requestCert = requestCert; copy.rejectUnauthorized = rejectUnauthorized; copy.dhparam = dhparam;
            copy.keyManagers = keyManagers; copy.trustManagers = trustManagers; copy.serverContext = serverContext;
            copy.clientContext = clientContext; copy.localSockets = localSockets; copy.preferOpenSsl = preferOpenSsl;
            return copy;
        }
    }
}
