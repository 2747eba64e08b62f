-- The console language a person chose (e.g. 'ko'); applied when they sign in, wherever they sign in.
-- NULL: never chosen, so the browser's language applies.
ALTER TABLE account ADD COLUMN language VARCHAR(16);
