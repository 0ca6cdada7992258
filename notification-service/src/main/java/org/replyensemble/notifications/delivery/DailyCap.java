package org.replyensemble.notifications.delivery;

/**
 * The per-recipient daily cap's arithmetic (unit-tested). The sender counts a batch's emails per
 * recipient in one atomic upsert ({@code recipient_day}) and gets back each recipient's count
 * after its own increment: with {@code requested} of them in the batch, the count before was
 * {@code countAfter - requested}, whichever other sender or instance counted meanwhile, so the
 * ones within the cap go out and the rest are skipped.
 */
final class DailyCap {

    private DailyCap() {
    }

    /** How many of {@code requested} emails to one recipient may go out today. */
    static int allowed(int countAfter, int requested, int cap) {
        int before = countAfter - requested;
        return Math.max(0, Math.min(requested, cap - before));
    }
}
