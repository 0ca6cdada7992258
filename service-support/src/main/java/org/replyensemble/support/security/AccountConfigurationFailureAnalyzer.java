package org.replyensemble.support.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up refused because of the accounts: says what is wrong and how to make a password hash. */
class AccountConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AccountConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AccountConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Give every account (accounts.users[n].*, environment ACCOUNTS_USERS_<n>_*) a username, roles ("
                        + "AUTHOR, OPERATOR), an email for an AUTHOR, and a bcrypt hash of its password with the "
                        + "{bcrypt} prefix, never the password itself. Make a hash with "
                        + "'java -cp <service>-exec.jar -Dloader.main=" + PasswordHash.class.getName()
                        + " org.springframework.boot.loader.launch.PropertiesLauncher' or "
                        + "'htpasswd -nBC 10 \"\" | cut -d: -f2' (then prefix {bcrypt}).",
                cause);
    }
}
