package io.jipc.stream;

import io.jipc.IpcConfig;

/** The TCP contract on JDK NIO with event loops that poll 50 us before they sleep. */
class NioTcpBusyPollTest extends NioTcpTest {
    @Override
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        return super.configure(builder).busyPollMicros(50);
    }
}
