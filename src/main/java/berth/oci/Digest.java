package berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content address, {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. Only the algorithms a
 * registry can verify are accepted, and only lowercase hex, so a digest is also a safe path segment.
 */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        boolean valid = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!valid) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "Digest '" + RegistryException.shown(algorithm + ":" + hex, 140) + "' is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>.");
        }
    }

    /** Parses {@code algorithm:hex}; anything else is {@link ErrorCode#DIGEST_INVALID}. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "Digest '" + RegistryException.shown(text, 140) + "' is not of the form algorithm:hex, e.g. sha256:e3b0c442....");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return of(newMessageDigest("sha256").digest(content), "sha256");
    }

    /** The digest a finished {@link MessageDigest} of {@code algorithm} computed. */
    public static Digest of(byte[] hash, String algorithm) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** A fresh hasher for this digest's algorithm, to verify content against it. */
    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException(algorithm);
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
