package io.vanswitch.dataplane.federation;

import io.vanswitch.bindings.DpdkShim;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receiving side of a federation link's encryption: checks and opens sealed frames
 * ({@link SealedHeaderFlyweight}) in place. Holds the current and the previous key, so frames
 * sealed just before a rotation still open, each with a {@link ReplayWindow} per lane. One per
 * remote link, used by one thread only.
 * <p>
 * {@link #open} allocates nothing, takes no lock and throws nothing: each reason to drop a frame
 * is a negative result of its own, named by {@link #reasonName} for counters. {@link #install}
 * and {@link #close} are not for the packet path but for the same thread, between bursts.
 */
public final class FrameOpener implements AutoCloseable
{
    /** Drop: shorter than a header, a tag and one byte. */
    public static final int SHORT = -1;
    /** Drop: the version byte is not 1. */
    public static final int BAD_VERSION = -2;
    /** Drop: the key id is neither the current nor the previous key's. */
    public static final int UNKNOWN_KEY = -3;
    /** Drop: the lane is 16 or more. */
    public static final int BAD_LANE = -4;
    /** Drop: this counter was opened before under this key and lane. */
    public static final int REPLAYED = -5;
    /** Drop: the counter is left of the lane's replay window (or 0). */
    public static final int TOO_OLD = -6;
    /** Drop: the tag does not match: altered, truncated or not sealed with this key. */
    public static final int AUTH_FAILED = -7;
    /** How many drop reasons there are: {@link #reasonIndex} is 0 up to this, exclusive. */
    public static final int REASONS = 7;

    private static final String[] REASON_NAMES =
        { "short", "bad_version", "unknown_key", "bad_lane", "replayed", "too_old", "auth_failed" };

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final SealedHeaderFlyweight header = new SealedHeaderFlyweight();
    private Slot current = new Slot();
    private Slot previous = new Slot();

    public FrameOpener()
    {
        DpdkShim.load();
    }

    /**
     * Makes {@code key} current and the former current key previous; the key before that is
     * freed. A key with the current key's id replaces it (the previous one stays). Installing the
     * current key again changes nothing: its replay windows are kept.
     *
     * @throws IllegalArgumentException for the previous key: installing it again would forget
     *                                  which of its frames were opened.
     */
    public void install(final SealKey key)
    {
        if (key.equals(current.key))
        {
            return;
        }
        if (key.equals(previous.key))
        {
            throw new IllegalArgumentException(key + " is the previous key: reinstalling it would reopen its replayed frames");
        }
        final long context = key.newContext(false);
        if (current.keyId != key.keyId())
        {
            // the former previous key's slot (and windows) are reused for the new key
            final Slot older = previous;
            previous = current;
            current = older;
        }
        current.clear();
        current.keyId = key.keyId();
        current.context = context;
        current.key = key;
        current.saltBits = key.nonceFixed(0);
    }

    /**
     * Opens the sealed frame of {@code length} bytes at {@code address} in place. The replay
     * window is asked before decrypting (a replay costs no AES) but updated only once the tag
     * matched, so forged frames cannot use up counters.
     *
     * @return the plaintext's length (it is then at address + 12), or SHORT, BAD_VERSION,
     * UNKNOWN_KEY, BAD_LANE, REPLAYED, TOO_OLD or AUTH_FAILED (after AUTH_FAILED the payload is garbage).
     */
    public int open(final long address, final int length)
    {
        if (length < SealedHeaderFlyweight.OVERHEAD + 1)
        {
            return SHORT;
        }
        buffer.wrap(address, SealedHeaderFlyweight.HEADER_LENGTH);
        header.wrap(buffer, 0);
        if (header.version() != SealedHeaderFlyweight.VERSION)
        {
            return BAD_VERSION;
        }
        final int keyId = header.keyId();
        final Slot slot = current.keyId == keyId ? current : previous.keyId == keyId ? previous : null;
        if (null == slot)
        {
            return UNKNOWN_KEY;
        }
        final int lane = header.lane();
        if (lane >= SealedHeaderFlyweight.LANES)
        {
            return BAD_LANE;
        }
        final long counter = header.counter();
        final ReplayWindow window = slot.windows[lane];
        final int check = window.check(counter);
        if (check != ReplayWindow.OK)
        {
            return check == ReplayWindow.REPLAYED ? REPLAYED : TOO_OLD;
        }
        final int plaintextLength = length - SealedHeaderFlyweight.OVERHEAD;
        final long dataAddress = address + SealedHeaderFlyweight.HEADER_LENGTH;
        if (DpdkShim.aeadOpen(slot.context, slot.saltBits | lane, counter, address, SealedHeaderFlyweight.HEADER_LENGTH,
            dataAddress, plaintextLength, dataAddress + plaintextLength) != 0)
        {
            return AUTH_FAILED;
        }
        window.accept(counter);
        return plaintextLength;
    }

    /** The current key's id, -1 when none. */
    public int currentKeyId()
    {
        return current.keyId;
    }

    /** The previous key's id, -1 when none. */
    public int previousKeyId()
    {
        return previous.keyId;
    }

    /** Frees both keys' contexts; {@link #open} then returns UNKNOWN_KEY. */
    @Override
    public void close()
    {
        current.clear();
        previous.clear();
    }

    /** @return "short", "bad_version", ... for a reason code, null for any other value. */
    public static String reasonName(final int code)
    {
        return isReason(code) ? REASON_NAMES[reasonIndex(code)] : null;
    }

    /** @return 0..REASONS-1 for a reason code: an index into a block of drop counters. */
    public static int reasonIndex(final int code)
    {
        return -code - 1;
    }

    public static boolean isReason(final int code)
    {
        return code < 0 && code >= -REASONS;
    }

    /** One key: its OpenSSL context and a replay window per lane, reused for the keys after it. */
    private static final class Slot
    {
        private final ReplayWindow[] windows = new ReplayWindow[SealedHeaderFlyweight.LANES];
        private int keyId = -1;
        private long context;
        private SealKey key;
        /** The nonce's salt bytes, shifted to make room for the lane. */
        private int saltBits;

        private Slot()
        {
            for (int i = 0; i < windows.length; i++)
            {
                windows[i] = new ReplayWindow();
            }
        }

        private void clear()
        {
            DpdkShim.aeadFree(context);
            context = 0;
            keyId = -1;
            key = null;
            saltBits = 0;
            for (final ReplayWindow window : windows)
            {
                window.reset();
            }
        }
    }
}
