package io.jipc.internal.config;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When a client tries again. node-ipc's rule by default: a fixed {@code retry} delay, {@code 1 +
 * maxRetries} attempts after a drop. Opt-in exponential backoff doubles the delay after each failed
 * attempt up to {@code maxDelayMillis}, and applies full jitter in its upper half (a delay in
 * {@code [d/2, d]}), so many clients of one restarted server do not reconnect in lockstep.
 *
 * @param retryMillis    base delay
 * @param maxRetries     attempts after the first ({@code Integer.MAX_VALUE} = forever, 0 = none)
 * @param backoff        exponential backoff with jitter instead of a fixed delay
 * @param maxDelayMillis cap on the backoff delay
 */
public record RetryPolicy(long retryMillis, int maxRetries, boolean backoff, long maxDelayMillis) {

    /**
     * @param failedAttempts attempts that failed since the last successful connect (0 after a drop)
     * @return milliseconds to wait before the next attempt
     */
    public long delayMillis(int failedAttempts) {
        if (!backoff) {
            return retryMillis;
        }
        int shift = Math.min(failedAttempts, 30);
        long d = Math.min(maxDelayMillis, Math.max(1, retryMillis) << shift);
        if (d < 0) {
            d = maxDelayMillis;
        }
        long half = d / 2;
        return half + ThreadLocalRandom.current().nextLong(d - half + 1);
    }
}
