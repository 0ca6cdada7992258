package org.replyensemble.notifications.threads;

import java.util.UUID;

/** A post as the thread stage knows it; addresses are normalized. */
record ThreadRow(UUID postId, String slug, String title, String authorName, String authorEmail, int fannedOutPosition) {
}
