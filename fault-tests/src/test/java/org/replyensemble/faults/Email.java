package org.replyensemble.faults;

import java.util.UUID;

/** One reply email as the rules define it: about this comment, to this (normalized) address. */
record Email(UUID commentId, String recipient) {
}
