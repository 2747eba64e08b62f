package berth.catalog.store;

import berth.oci.Digest;
import berth.oci.RepositoryName;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Types;
import java.util.function.Function;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.AbstractClassJavaType;
import org.hibernate.type.descriptor.jdbc.JdbcType;
import org.hibernate.type.descriptor.jdbc.JdbcTypeIndicators;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's value types kept as the text the columns always held, so the schema stays as it is.
 * The converters apply to every attribute of these types, and a query parameter compared with such
 * an attribute is converted the same way; Hibernate refuses converters on an id, so a digest that is
 * an id is mapped by {@link DigestId} instead.
 */
public final class OciColumns {

    private OciColumns() {
    }

    /** A value kept as its {@code toString()} and read back with {@code parse}. */
    private abstract static class AsText<T> implements AttributeConverter<T, String> {

        private final Function<String, T> parse;

        AsText(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable T value) {
            return value == null ? null : value.toString();
        }

        @Override
        public @Nullable T convertToEntityAttribute(@Nullable String column) {
            return column == null ? null : parse.apply(column);
        }
    }

    @Converter(autoApply = true)
    static final class DigestColumn extends AsText<Digest> {

        DigestColumn() {
            super(Digest::parse);
        }
    }

    @Converter(autoApply = true)
    static final class RepositoryNameColumn extends AsText<RepositoryName> {

        RepositoryNameColumn() {
            super(RepositoryName::new);
        }
    }

    /** A digest as an id: the same text as {@link DigestColumn} writes. */
    public static final class DigestId extends AbstractClassJavaType<Digest> {

        public DigestId() {
            super(Digest.class);
        }

        @Override
        public JdbcType getRecommendedJdbcType(JdbcTypeIndicators indicators) {
            return indicators.getJdbcType(Types.VARCHAR);
        }

        @Override
        public String toString(Digest value) {
            return value.toString();
        }

        @Override
        public Digest fromString(CharSequence text) {
            return Digest.parse(text.toString());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <X> @Nullable X unwrap(@Nullable Digest value, Class<X> type, WrapperOptions options) {
            if (value == null) {
                return null;
            }
            if (type.isInstance(value)) {
                return type.cast(value);
            }
            if (type.isAssignableFrom(String.class)) {
                return (X) value.toString();
            }
            throw unknownUnwrap(type);
        }

        @Override
        public <X> @Nullable Digest wrap(@Nullable X value, WrapperOptions options) {
            if (value == null) {
                return null;
            }
            if (value instanceof Digest digest) {
                return digest;
            }
            if (value instanceof String text) {
                return Digest.parse(text);
            }
            throw unknownWrap(value.getClass());
        }
    }
}
