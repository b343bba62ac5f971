package io.jipc.tls;

import io.jipc.internal.tls.PemFiles;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client key manager that presents its certificate whatever CAs the server asks for. JSSE's default
 * one withholds a certificate the server's CertificateRequest does not list (so the server only sees an
 * empty chain); OpenSSL/Node clients send it anyway. This lets a test check the server's own verdict.
 */
final class AlwaysPresentKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    private AlwaysPresentKeyManager(String keyPem, String certPem) {
        this.key = PemFiles.privateKey("test key", keyPem);
        this.chain = PemFiles.certificates("test cert", certPem).toArray(new X509Certificate[0]);
    }

    /** @return a factory handing out one such key manager for the PEM key and certificate */
    static KeyManagerFactory factory(String keyPem, String certPem) {
        KeyManager[] managers = {new AlwaysPresentKeyManager(keyPem, certPem)};
        KeyManagerFactorySpi spi = new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return managers.clone();
            }
        };
        return new KeyManagerFactory(spi, new Provider("jipc-test", "1", "test key managers") { }, "always") { };
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return key;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
