package io.jipc.internal.tls;

import io.jipc.internal.connection.ChannelHandlerFactory;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Builds Netty TLS contexts from {@link TlsSettings} with node's meanings: clients verify the
 * server's chain and host name unless {@code rejectUnauthorized} is false; a server with
 * {@code requestCert} asks for a client certificate and, with {@code rejectUnauthorized}, requires a
 * valid one (mutual TLS). Contexts are built once, at serve/connect time, so bad files fail early.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @return a factory of server-side TLS handlers
     * @throws IllegalArgumentException when key or certificate are missing or unreadable
     */
    public static ChannelHandlerFactory server(TlsSettings s) {
        SslContext ctx = s.serverContext() != null ? s.serverContext() : buildServer(s);
        return ch -> ctx.newHandler(ch.alloc());
    }

    /**
     * @param ctx  the context for {@code s}: the caller's own or one {@link ClientContextCache} built
     * @param host the host the client connects to (checked against the certificate when verifying)
     * @param port the port (for session resumption and SNI)
     * @return a factory of client-side TLS handlers
     */
    public static ChannelHandlerFactory client(TlsSettings s, SslContext ctx, String host, int port) {
        boolean verifyHost = s.rejectUnauthorized() && s.clientContext() == null;
        return ch -> {
            SslHandler h = ctx.newHandler(ch.alloc(), host, port);
            if (verifyHost) {
                SSLEngine engine = h.engine();
                SSLParameters p = engine.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                engine.setSSLParameters(p);
            }
            return h;
        };
    }

    private static SslContext buildServer(TlsSettings s) {
        SslContextBuilder b;
        if (s.keyManagers() != null) {
            b = SslContextBuilder.forServer(s.keyManagers());
        } else {
            if (s.privateKeyPem() == null || s.certificatePem() == null) {
                throw new IllegalArgumentException("tls: a TLS server needs \"private\" (key PEM) and \"public\" "
                    + "(certificate PEM), or a KeyManagerFactory; got private=" + s.privateKeyPem()
                    + ", public=" + s.certificatePem());
            }
            PrivateKey key = PemFiles.privateKey("tls.private", s.privateKeyPem());
            List<X509Certificate> chain = PemFiles.certificates("tls.public", s.certificatePem());
            b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]));
        }
        if (s.requestCert()) {
            b.clientAuth(s.rejectUnauthorized() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            trust(b, s);
        }
        return build(b, s);
    }

    static SslContext buildClient(TlsSettings s) {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (s.keyManagers() != null) {
            b.keyManager(s.keyManagers());
        } else if (s.privateKeyPem() != null && s.certificatePem() != null) {
            b.keyManager(PemFiles.privateKey("tls.private", s.privateKeyPem()),
                PemFiles.certificates("tls.public", s.certificatePem()).toArray(new X509Certificate[0]));
        }
        if (!s.rejectUnauthorized()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            trust(b, s);
        }
        return build(b, s);
    }

    private static void trust(SslContextBuilder b, TlsSettings s) {
        if (s.trustManagers() != null) {
            b.trustManager(s.trustManagers());
        } else if (!s.caPems().isEmpty()) {
            List<X509Certificate> cas = new ArrayList<>();
            for (String file : s.caPems()) {
                cas.addAll(PemFiles.certificates("tls.trustedConnections", file));
            }
            b.trustManager(cas.toArray(new X509Certificate[0]));
        }
    }

    /** @return the engine used for contexts built from {@code s}: OpenSSL when preferred and it loads */
    public static SslProvider provider(TlsSettings s) {
        return s.preferOpenSsl() && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    private static SslContext build(SslContextBuilder b, TlsSettings s) {
        try {
            return b.sslProvider(provider(s)).protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("tls: cannot build TLS context: " + e.getMessage(), e);
        }
    }
}
