package io.jipc;

/**
 * Which node-ipc generation's payload rules this instance follows when it <em>sends</em> a frame.
 *
 * <p>Receiving is the same for both: any JSON value arrives as sent. Sending differs only in how
 * "empty" payloads are normalised before the frame is written:
 * <ul>
 *   <li>{@link #LEGACY} (node-ipc 9.x–12.x): {@code null}, {@code ""}, {@code NaN}, a missing
 *       payload and an object with a truthy {@code _maxListeners} member are all sent as {@code {}};
 *       {@code false} and {@code 0} are kept.</li>
 *   <li>{@link #MODERN} (node-ipc 14.x, the default): only a missing payload becomes {@code {}};
 *       {@code null}, {@code ""} and objects are sent as they are ({@code NaN} as {@code null}, as
 *       {@code JSON.stringify} writes it).</li>
 * </ul>
 * The profile also picks the {@link IpcConfig.Builder default socket root} that generation uses.
 */
public enum PayloadProfile {
    /** node-ipc 9.x–12.x rules (also {@code @achrinza/node-ipc}). */
    LEGACY,
    /** node-ipc 14.x rules. */
    MODERN
}
