package org.replyensemble.notifications;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail answering RCPT TO as a real mail server does for some recipients: {@code 550} for a
 * local part starting with "unknown" (no such user: a hard bounce) and {@code 451} the first time
 * for one starting with "busy" (try again later). GreenMail accepts every recipient by itself; its
 * SmtpManager's recipient check is the hook it has for this, reached through its Managers.
 */
public final class RefusingSmtpServer extends GreenMail {

    private static final Set<String> REFUSED_ONCE = ConcurrentHashMap.newKeySet();

    public RefusingSmtpServer(ServerSetup setup) {
        super(setup);
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
        if (!(managers instanceof RefusingManagers)) {
            // Called from the constructor (and again by start()): keep one set of managers for both.
            managers = new RefusingManagers();
            this.managers = managers;
        }
        return super.createServices(config, managers);
    }

    private static final class RefusingManagers extends Managers {
        private final SmtpManager smtp = new RefusingSmtpManager(getImapHostManager(), getUserManager());

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }
    }

    private static final class RefusingSmtpManager extends SmtpManager {
        RefusingSmtpManager(ImapHostManager imap, UserManager users) {
            super(imap, users);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress address) {
            String email = address.getEmail();
            if (email.startsWith("unknown")) {
                return "550 5.1.1 <" + email + ">: Recipient address rejected: User unknown in virtual mailbox table";
            }
            if (email.startsWith("busy") && REFUSED_ONCE.add(email)) {
                return "451 4.2.1 <" + email + ">: Mailbox busy, try again later";
            }
            return super.checkRecipient(state, address);
        }
    }
}
