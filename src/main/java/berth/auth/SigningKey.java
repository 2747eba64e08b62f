package berth.auth;

import berth.base.BerthSettings;
import com.nimbusds.jose.util.Base64;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.apache.commons.codec.binary.Base32;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The RSA key that signs registry tokens and its self-signed certificate, which a CNCF Distribution
 * registry trusts through its {@code rootcertbundle}. Created on first start and kept in the database,
 * the private key sealed by {@link SecretCipher}, so every instance on that database signs alike; the
 * certificate is also written to {@code <data-dir>/keys/token-signing.crt}.
 */
@Component
class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final X509Certificate certificate;
    private final String libtrustKeyId;

    SigningKey(BerthSettings settings, Clock clock, JdbcTemplate jdbc, SecretCipher cipher) throws IOException, GeneralSecurityException {
        Path dir = settings.dataDir().resolve("keys");
        Stored stored = load(jdbc, cipher).orElse(null);
        if (stored == null) {
            stored = create(dir, clock);
            try {
                jdbc.update("insert into signing_key (id, private_key_sealed, certificate_pem, created_at) values (1, ?, ?, ?)",
                        cipher.sealText(stored.privateKeyPem()), stored.certificatePem(), java.sql.Timestamp.from(clock.instant()));
                log.info("Created the registry token signing key; every instance on this database shares it");
            } catch (org.springframework.dao.DuplicateKeyException anotherInstanceWasFaster) {
                stored = load(jdbc, cipher).orElseThrow();
            }
        }
        this.privateKey = readPrivateKey(stored.privateKeyPem());
        this.certificate = readCertificate(stored.certificatePem());
        this.publicKey = (RSAPublicKey) certificate.getPublicKey();
        this.libtrustKeyId = libtrustKeyId(publicKey.getEncoded());
        // Distribution's rootcertbundle wants a file; keep one next to the data, for convenience.
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("token-signing.crt"), stored.certificatePem(), false);
    }

    private record Stored(String privateKeyPem, String certificatePem) {
    }

    private static java.util.Optional<Stored> load(JdbcTemplate jdbc, SecretCipher cipher) {
        return jdbc.query("select private_key_sealed, certificate_pem from signing_key where id = 1",
                (rs, n) -> new Stored(cipher.open(rs.getString(1)), rs.getString(2))).stream().findFirst();
    }

    /** A new key pair, or the one an earlier version of Berth kept in files, to keep tokens and certificate valid. */
    private static Stored create(Path dir, Clock clock) throws IOException, GeneralSecurityException {
        Path keyFile = dir.resolve("token-signing.key");
        Path certFile = dir.resolve("token-signing.crt");
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            return new Stored(Files.readString(keyFile), Files.readString(certFile));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair pair = generator.generateKeyPair();
        return new Stored(pem(pair.getPrivate()), pem(selfSign(pair, clock)));
    }

    private static X509Certificate selfSign(KeyPair pair, Clock clock) throws GeneralSecurityException {
        try {
            X500Name subject = new X500Name("CN=Berth token signer");
            Date notBefore = Date.from(clock.instant().minus(Duration.ofDays(1)));
            Date notAfter = Date.from(clock.instant().plus(Duration.ofDays(3650)));
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new java.security.SecureRandom()),
                    notBefore, notAfter, subject, pair.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".pem");
        if (secret) {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the directory's own permissions apply
            }
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static RSAPrivateCrtKey readPrivateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key = object instanceof PEMKeyPair pair
                    ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) object);
            return (RSAPrivateCrtKey) key;
        }
    }

    private static X509Certificate readCertificate(String pem) throws IOException, GeneralSecurityException {
        try (var in = new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /**
     * The key id format of docker/libtrust, which CNCF Distribution 2.x matches against its
     * {@code rootcertbundle}: base32 of the first 240 bits of the SHA-256 of the DER public key,
     * in twelve groups of four joined by colons.
     */
    static String libtrustKeyId(byte[] derPublicKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(derPublicKey);
            byte[] first30 = java.util.Arrays.copyOf(hash, 30);
            String encoded = new Base32().encodeToString(first30).replace("=", "");
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 48; i += 4) {
                if (i > 0) {
                    id.append(':');
                }
                id.append(encoded, i, i + 4);
            }
            return id.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    RSAPublicKey publicKey() {
        return publicKey;
    }

    String libtrustKeyId() {
        return libtrustKeyId;
    }

    List<Base64> certificateChain() {
        try {
            return List.of(Base64.encode(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate in PEM, for Distribution's {@code rootcertbundle}. */
    String certificatePem() {
        try {
            return pem(certificate);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
