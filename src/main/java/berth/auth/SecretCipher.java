package berth.auth;

import berth.base.BerthSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Seals the secrets Berth keeps in its database - Appkeys and the token signing key - with AES-256-GCM,
 * and fingerprints Appkeys with a keyed HMAC so a login finds its row without decrypting any other.
 * The key lives outside the database - {@code berth.secret-key} (base64, at least 32 bytes; give every
 * instance the same) or {@code <data-dir>/keys/secret.key} - so a database dump alone reveals nothing.
 */
@Component
class SecretCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String PREFIX = "berth_";

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec fingerprintKey;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(BerthSettings settings, @Value("${berth.secret-key:}") @Nullable String configuredKey)
            throws IOException, GeneralSecurityException {
        byte[] master = configuredKey != null && !configuredKey.isBlank()
                ? decodeConfiguredKey(configuredKey)
                : keyFile(settings.dataDir().resolve("keys").resolve("secret.key"));
        this.encryptionKey = new SecretKeySpec(derive(master, "berth appkey encryption"), "AES");
        this.fingerprintKey = new SecretKeySpec(derive(master, "berth appkey fingerprint"), "HmacSHA256");
    }

    private static byte[] decodeConfiguredKey(String configured) {
        byte[] key = Base64.getDecoder().decode(configured.trim());
        if (key.length < 32) {
            throw new IllegalStateException("berth.secret-key must be at least 32 bytes, base64-encoded");
        }
        return key;
    }

    private byte[] keyFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            random.nextBytes(key);
            Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".key");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX: the directory's permissions apply
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
            }
        }
        return decodeConfiguredKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    private static byte[] derive(byte[] master, String purpose) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(master, "HmacSHA256"));
        return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    }

    /** A new random Appkey: 32 random bytes, recognisable by its prefix (for secret scanners). */
    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Appkey.SealedSecret seal(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return new Appkey.SealedSecret(Base64.getEncoder().encodeToString(out), fingerprint(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt an Appkey", e);
        }
    }

    /** Seals any secret text; {@link #open} gives it back. */
    String sealText(String secret) {
        return seal(secret).encrypted();
    }

    String open(String encrypted) {
        try {
            byte[] in = Base64.getDecoder().decode(encrypted);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WrongSecretKey(e);
        }
    }

    /** A sealed secret (an Appkey, the token signing key) that this instance's key does not open. */
    static final class WrongSecretKey extends IllegalStateException {
        WrongSecretKey(Exception cause) {
            super("cannot open a secret sealed in the database: berth.secret-key is not the key it was sealed with", cause);
        }
    }

    String fingerprint(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fingerprintKey);
            return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares a presented secret with a stored one in time that does not depend on where they differ. */
    boolean matches(String presented, String encrypted) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), open(encrypted).getBytes(StandardCharsets.UTF_8));
    }
}
