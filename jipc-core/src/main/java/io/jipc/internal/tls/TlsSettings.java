package io.jipc.internal.tls;

import io.netty.handler.ssl.SslContext;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS inputs in node-ipc's terms plus Java-native ones, as the internal layers take them.
 *
 * @param privateKeyPem      path of the PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), or null
 * @param certificatePem     path of the PEM certificate chain, or null
 * @param caPems             paths of trusted CA PEM files (empty = the JDK's default trust store)
 * @param requestCert        a server asks clients for a certificate
 * @param rejectUnauthorized verify the peer (clients: the server's chain and host name; servers with
 *                           requestCert: the client's chain)
 * @param keyManagers        Java-native key material, or null
 * @param trustManagers      Java-native trust, or null
 * @param serverContext      a complete server context that overrides everything else, or null
 * @param clientContext      a complete client context that overrides everything else, or null
 * @param preferOpenSsl      use OpenSSL (netty-tcnative) when it is available, else the JDK engine
 */
public record TlsSettings(String privateKeyPem, String certificatePem, List<String> caPems, boolean requestCert,
                          boolean rejectUnauthorized, KeyManagerFactory keyManagers,
                          TrustManagerFactory trustManagers, SslContext serverContext, SslContext clientContext,
                          boolean preferOpenSsl) {
}
