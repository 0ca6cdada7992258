package org.replyensemble.notifications.delivery;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Tells a permanent SMTP rejection from one worth retrying, by the reply code Angus Mail carries in
 * its exceptions (anywhere in the cause and next-exception chain that Spring's MailSendException
 * wraps). A 5xx on the recipient (550 unknown user) is a hard bounce; a 5xx on the message
 * (554 rejected, 552 too big) fails the delivery at once but says nothing about the address; 4xx,
 * a refused MAIL FROM (our configuration) and connection errors are transient.
 */
final class SmtpFailures {

    enum Kind {
        /** 5xx on RCPT TO: the address does not take mail. */
        PERMANENT_RECIPIENT,
        /** 5xx after DATA: this message will never be taken. */
        PERMANENT_MESSAGE,
        TRANSIENT
    }

    private SmtpFailures() {
    }

    static Kind classify(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Kind kind = Kind.TRANSIENT;
        // ArrayDeque refuses nulls: causes and next exceptions are added only when present.
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        todo.add(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SMTPAddressFailedException address && permanent(address.getReturnCode())) {
                return Kind.PERMANENT_RECIPIENT;
            }
            if (t instanceof SMTPSendFailedException send && permanent(send.getReturnCode())) {
                kind = Kind.PERMANENT_MESSAGE;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof MessagingException messaging && messaging.getNextException() != null) {
                todo.add(messaging.getNextException());
            }
        }
        return kind;
    }

    private static boolean permanent(int replyCode) {
        return replyCode >= 500 && replyCode < 600;
    }
}
