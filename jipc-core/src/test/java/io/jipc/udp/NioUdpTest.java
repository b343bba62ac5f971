package io.jipc.udp;

import io.jipc.NetType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** UDP endpoints on the JDK's NIO datagram channels. */
class NioUdpTest extends UdpContractTest {
    @Override
    boolean preferNative() {
        return false;
    }

    @Override
    String expectedTransport() {
        return "nio";
    }

    @Override
    @ParameterizedTest
    @EnumSource(value = NetType.class, names = {"UDP4", "UDP6"})
    void stopReleasesThePortForANewBind(NetType type) throws Exception {
        super.stopReleasesThePortForANewBind(type);
    }
}
