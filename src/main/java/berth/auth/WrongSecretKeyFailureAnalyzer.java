package berth.auth;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second instance started with another {@code BERTH_SECRET_KEY} than the database's secrets were
 * sealed with fails on the token signing key first: one sentence naming the setting, not a stack
 * trace that blamed "an Appkey".
 */
class WrongSecretKeyFailureAnalyzer extends AbstractFailureAnalyzer<SecretCipher.WrongSecretKey> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SecretCipher.WrongSecretKey cause) {
        return new FailureAnalysis(
                "Berth cannot open the secrets in its database (the token signing key, Appkeys): BERTH_SECRET_KEY "
                        + "(berth.secret-key) is not the key they were sealed with.",
                "Give this instance the same BERTH_SECRET_KEY as the other instances on this database, or the one it was "
                        + "first started with (without the setting, the key is the file keys/secret.key in BERTH_DATA_DIR).",
                cause);
    }
}
