package io.jipc.tls;

import io.jipc.TlsOptions;

/** Every {@link TlsTcpTest} case again with the JDK's SSLEngine instead of OpenSSL. */
class JdkEngineTlsTcpTest extends TlsTcpTest {
    @Override
    TlsOptions withEngine(TlsOptions tls) {
        return tls == null ? null : tls.newBuilder().preferOpenSsl(false).build();
    }
}
