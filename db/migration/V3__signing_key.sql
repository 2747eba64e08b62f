-- The RSA key that signs registry tokens, shared by every Berth instance. The private key is sealed
-- (AES-GCM) with the secret key that lives outside the database.
CREATE TABLE signing_key (
    id                 INT           NOT NULL PRIMARY KEY,
    private_key_sealed VARCHAR(8000) NOT NULL,
    certificate_pem    VARCHAR(8000) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
