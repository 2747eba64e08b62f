package berth.auth;

import org.springframework.stereotype.Component;

/**
 * Seals secrets that other modules keep in the database (webhook secrets) with the key Appkeys are
 * sealed with, {@code berth.secret-key} or {@code <data-dir>/keys/secret.key}: AES-256-GCM, so a
 * database dump alone reveals none of them.
 */
@Component
public record SealedSecrets(SecretCipher cipher) {

    /** The secret sealed (base64), a different text each time. */
    public String seal(String secret) {
        return cipher.sealText(secret);
    }

    /** The secret {@link #seal} sealed; fails (at start-up too) when {@code berth.secret-key} is not the key it was sealed with. */
    public String open(String sealed) {
        return cipher.open(sealed);
    }
}
