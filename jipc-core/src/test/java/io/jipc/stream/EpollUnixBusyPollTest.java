package io.jipc.stream;

import io.jipc.IpcConfig;

/** The Unix-socket contract on native epoll with event loops that poll 50 us before they sleep. */
class EpollUnixBusyPollTest extends EpollUnixSocketTest {
    @Override
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        return super.configure(builder).busyPollMicros(50);
    }
}
