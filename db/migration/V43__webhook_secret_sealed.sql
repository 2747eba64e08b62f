-- Webhook secrets are sealed (AES-256-GCM, the key outside the database, as Appkeys are). Rows
-- written before hold the secret as given: secret_sealed says which; Berth seals those at start-up
-- (the key is not in the database, so SQL cannot). A sealed 255-character secret needs more room.
ALTER TABLE webhook_endpoint ALTER COLUMN secret SET DATA TYPE VARCHAR(2048);
ALTER TABLE webhook_endpoint ADD COLUMN secret_sealed BOOLEAN DEFAULT FALSE NOT NULL;
