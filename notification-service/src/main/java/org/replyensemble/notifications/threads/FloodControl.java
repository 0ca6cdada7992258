package org.replyensemble.notifications.threads;

import java.time.Duration;
import java.time.Instant;

/**
 * The folding rule of flood control, per recipient and thread (a pure function, unit-tested):
 * a window opens with a recipient's first thread update (a comment that is not a direct reply to
 * them) and lasts {@code length}; its first {@code limit} updates are mailed at once, every further
 * one is folded into the window's one summary, sent when the window closes. The first update after
 * the window closed opens the next one. Direct replies never come here: they are always mailed at
 * once and do not count.
 *
 * <p>The count stops at {@code limit + 1} (the update that opened the summary): past it, nothing
 * about the window changes, so on a hot thread a folded update costs the thread stage no write at
 * all for that recipient (the summary's comments are derived from the thread when it is sent, see
 * {@code CarriedComments}). {@link Decision#changes} says when the window row must be written.
 *
 * <p>Times are the comments' own (their creation time), not the clock of the thread stage, so a
 * replay or a second instance decides exactly the same.
 */
public final class FloodControl {

    /** A recipient's current window in a thread: when it opened, and the thread updates it has seen (at most limit + 1). */
    public record Window(Instant openedAt, int updates) {

        Instant closesAt(Duration length) {
            return openedAt.plus(length);
        }
    }

    /** What happens to one thread update, and the recipient's window after it. */
    public sealed interface Decision permits MailNow, Fold {
        Window window();

        /** The window after this update differs from {@code current}: its row must be written. */
        default boolean changes(Window current) {
            return !window().equals(current);
        }
    }

    /**
     * Mailed at once. {@code endsSummary}: this update opened a new window while the previous one's
     * summary could still take updates, so that summary ends just before this comment.
     */
    public record MailNow(Window window, boolean endsSummary) implements Decision {
    }

    /**
     * Into the summary of {@code window} (keyed by its opening time), sent at {@code closesAt};
     * {@code opensSummary}: this is the window's first folded update, which creates the summary and
     * is where it starts.
     */
    public record Fold(Window window, Instant closesAt, boolean opensSummary) implements Decision {
    }

    private final int limit;
    private final Duration length;

    /**
     * @param limit  thread updates mailed at once per window (at least 1: the update that opens a
     *               window is always mailed)
     * @param length how long a window lasts
     */
    public FloodControl(int limit, Duration length) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least the first update of a window is mailed at once: limit >= 1, not " + limit);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a window lasts some time, not " + length);
        }
        this.limit = limit;
        this.length = length;
    }

    /**
     * @param current     the recipient's window in this thread, or null if they have none yet
     * @param summaryOpen the current window's summary exists and can still take updates (no sender
     *                    has claimed it)
     * @param at          the update's (the comment's) time
     */
    public Decision decide(Window current, boolean summaryOpen, Instant at) {
        if (current == null || !at.isBefore(current.closesAt(length))) {
            return new MailNow(new Window(at, 1), current != null && summaryOpen);
        }
        if (current.updates() < limit) {
            return new MailNow(new Window(current.openedAt(), current.updates() + 1), false);
        }
        if (current.updates() == limit) {
            return new Fold(new Window(current.openedAt(), limit + 1), current.closesAt(length), true);
        }
        // Past the limit: the summary carries it if it still can; the window stays as it is.
        Window counted = new Window(current.openedAt(), limit + 1);
        return summaryOpen ? new Fold(counted, current.closesAt(length), false) : summaryGone(at);
    }

    /**
     * When the window's summary can no longer take an update (already claimed by a sender or sent,
     * possible when the thread stage runs behind by more than a window): the update is mailed at once
     * and opens the next window, rather than being carried by an email that has gone.
     */
    public MailNow summaryGone(Instant at) {
        return new MailNow(new Window(at, 1), false);
    }
}
