package berth.registry.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Storage in an S3 bucket (AWS or any S3-compatible store), laid out as CNCF Distribution's S3
 * driver lays it out: the storage path {@code /docker/registry/v2/...} becomes the key
 * {@code <prefix>/docker/registry/v2/...} (no leading slash; Distribution's {@code rootdirectory} is
 * the prefix), so Distribution and Berth can serve the same bucket. "Directories" are key prefixes:
 * a directory exists while some key lies under it.
 *
 * <p><b>Writers.</b> Every {@link StorageWriter#commit()} leaves one complete object at the key, so
 * {@link #stat} and {@link #reader} on an upload's {@code data} work the same on every instance and
 * an upload begun by one Berth instance can be continued by another - upload state lives in the
 * bucket, not in memory. A writer streams its bytes in parts of {@value #PART_SIZE_MIB} MiB
 * (one part uploading while the next fills, so at most two part buffers per writer, never a whole
 * blob). Bytes that fit in one part go up with a single {@code PutObject}; more become a multipart
 * upload. Appending starts a new multipart upload whose first part is the existing object: copied
 * inside the store with {@code UploadPartCopy} when it is at least the 5 MiB S3 requires of a
 * non-last part, otherwise read back (less than 5 MiB) and sent in front of the new bytes.
 * {@code CompleteMultipartUpload} then replaces the object atomically. A writer closed without
 * {@code commit} aborts its multipart upload, leaving the object as it was: a broken chunk never
 * becomes part of an upload.
 *
 * <p>Why not keep one multipart upload open across chunks, as Distribution's S3 driver does? Its
 * parts are invisible to {@code HeadObject} and {@code GetObject}, so the upload's size and bytes
 * would have to be reassembled from {@code ListParts}, and a chunk below 5 MiB could not be a part
 * at all. The price here is one server-side copy per appended chunk; clients such as skopeo,
 * containerd and Docker send a layer as a single chunk, so a layer is copied once at most.
 * Multipart uploads of writers that died with their JVM stay in the bucket until a lifecycle rule
 * ({@code AbortIncompleteMultipartUpload}) removes them.
 *
 * <p>{@link #move} is a copy ({@code UploadPartCopy} parts above the 5 GiB limit of
 * {@code CopyObject}) and a delete: atomic for readers of the destination, which is all the
 * registry needs. {@link #walk} lists one directory at a time with a delimiter, so a skipped
 * directory costs nothing and the lexical order of paths is kept ({@code a/b} before {@code a-c}).
 */
public final class S3Driver implements StorageDriver, AutoCloseable {

    private static final int PART_SIZE_MIB = 16;
    /** S3's minimum size of every part but the last. */
    static final long MINIMUM_PART = 5L << 20;
    /** S3's maximum size of {@code CopyObject} and of one {@code UploadPartCopy}. */
    static final long MAXIMUM_COPY = 5L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(S3Driver.class);
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final int FIRST_BUFFER = 256 << 10;
    private static final Duration REDIRECT_LIFETIME = Duration.ofMinutes(20);

    /**
     * Sizes S3 fixes; tests lower them to exercise multipart paths with small data. A copy part of
     * at least twice {@link #MINIMUM_PART} keeps every range of an equal split at or above the minimum.
     */
    record Limits(int partSize, long copyPartSize, int pageSize) {
        Limits {
            if (partSize < MINIMUM_PART || copyPartSize < 2 * MINIMUM_PART || copyPartSize > MAXIMUM_COPY) {
                throw new IllegalArgumentException("part sizes outside what S3 allows: " + partSize + ", " + copyPartSize);
            }
        }

        static final Limits S3 = new Limits(PART_SIZE_MIB << 20, MAXIMUM_COPY, 1000);
    }

    private final S3Client s3;
    private final @Nullable S3Presigner presigner;
    private final String bucket;
    /** The key of the storage root: "" or "prefix/" - every key starts with it. */
    private final String root;
    private final Limits limits;
    /** Cleared when the store refuses DeleteObjects. */
    private volatile boolean batchDeletes = true;
    /** Uploads one part while the writer fills the next. */
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    S3Driver(S3Client s3, @Nullable S3Presigner presigner, String bucket, String prefix, Limits limits) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        String trimmed = prefix.replaceAll("^/+|/+$", "");
        this.root = trimmed.isEmpty() ? "" : trimmed + "/";
        this.limits = limits;
    }

    /** A driver over the bucket the settings name, with its own client. */
    public static S3Driver connect(StorageSettings.S3 settings) {
        return connect(settings, Limits.S3);
    }

    static S3Driver connect(StorageSettings.S3 settings, Limits limits) {
        if (settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalStateException("berth.storage.driver is 's3' but berth.storage.s3.bucket (BERTH_STORAGE_S3_BUCKET) is not set");
        }
        if ((settings.accessKey() == null) != (settings.secretKey() == null)) {
            throw new IllegalStateException("set both berth.storage.s3.access-key and berth.storage.s3.secret-key, or neither "
                    + "(then the AWS SDK's default credentials chain applies)");
        }
        AwsCredentialsProvider credentials = settings.accessKey() != null && settings.secretKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(settings.region() != null && !settings.region().isBlank() ? settings.region() : "us-east-1");
        S3Configuration style = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        S3ClientBuilder client = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(style)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(128));
        S3Presigner.Builder presigner = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(style);
        URI endpoint = settings.endpoint();
        if (endpoint != null) {
            // S3-compatible stores often lack the CRC checksums the SDK would otherwise add to every request,
            // and want the Content-MD5 of DeleteObjects that S3 itself no longer requires.
            client.endpointOverride(endpoint)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .addPlugin(LegacyMd5Plugin.create());
            presigner.endpointOverride(endpoint);
        }
        return new S3Driver(client.build(), settings.redirect() ? presigner.build() : null, settings.bucket(), settings.prefix(), limits);
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public byte[] getContent(String path) throws IOException {
        String key = key(path);
        try {
            return call(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (S3Exception e) {
            throw notFoundOr(e, path);
        }
    }

    @Override
    public void putContent(String path, byte[] content) throws IOException {
        String key = key(path);
        call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) content.length), RequestBody.fromBytes(content)));
    }

    @Override
    public InputStream reader(String path, long offset) throws IOException {
        String key = key(path);
        try {
            ResponseInputStream<GetObjectResponse> body = call(() -> s3.getObject(b -> {
                b.bucket(bucket).key(key);
                if (offset > 0) {
                    b.range("bytes=" + offset + "-");
                }
            }));
            return new AbortingOnEarlyClose(body);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                stat(path); // an offset at or past the end reads nothing; a missing file is still missing
                return InputStream.nullInputStream();
            }
            throw notFoundOr(e, path);
        }
    }

    @Override
    public StorageWriter writer(String path, boolean append) throws IOException {
        String key = key(path);
        long existing = 0;
        if (append) {
            Optional<HeadObjectResponse> head = head(key);
            existing = head.map(HeadObjectResponse::contentLength).orElse(0L);
        }
        return new ObjectWriter(key, existing, append);
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        if ("/".equals(path)) {
            return new FileInfo(path, 0, Instant.EPOCH, true);
        }
        String key = key(path);
        Optional<HeadObjectResponse> head = head(key);
        if (head.isPresent()) {
            return new FileInfo(path, head.get().contentLength(), head.get().lastModified(), false);
        }
        ListObjectsV2Response below = call(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(key + "/").maxKeys(1)));
        if (below.contents().isEmpty()) {
            throw new PathNotFoundException(path);
        }
        return new FileInfo(path, 0, below.contents().getFirst().lastModified(), true);
    }

    @Override
    public List<String> list(String path) throws IOException {
        return List.copyOf(children(path).keySet());
    }

    @Override
    public void move(String source, String destination) throws IOException {
        String from = key(source);
        String to = key(destination);
        long size = head(from).orElseThrow(() -> new PathNotFoundException(source)).contentLength();
        if (size <= limits.copyPartSize()) {
            call(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)));
        } else {
            copyInParts(from, to, size);
        }
        call(() -> s3.deleteObject(b -> b.bucket(bucket).key(from)));
    }

    @Override
    public void delete(String path) throws IOException {
        String key = key(path);
        // One listing finds the file and everything under the directory of the same name.
        List<ObjectIdentifier> doomed = new ArrayList<>();
        // Keys ending in '/' are directory markers (S3 consoles make them; S3Proxy's filesystem backend lists its
        // directories so): they go last, deepest first, once what lies in them is gone.
        List<String> markers = new ArrayList<>();
        boolean found = false;
        Iterator<ListObjectsV2Response> pages = pages(ListObjectsV2Request.builder().bucket(bucket).prefix(key).maxKeys(limits.pageSize()));
        while (call(pages::hasNext)) {
            ListObjectsV2Response page = call(pages::next);
            for (S3Object object : page.contents()) {
                if (object.key().equals(key) || object.key().startsWith(key + "/")) {
                    found = true;
                    if (object.key().endsWith("/")) {
                        markers.add(object.key());
                    } else {
                        doomed.add(ObjectIdentifier.builder().key(object.key()).build());
                    }
                }
            }
            if (doomed.size() >= limits.pageSize()) {
                deleteObjects(doomed);
                doomed.clear();
            }
        }
        if (!found) {
            throw new PathNotFoundException(path);
        }
        markers.sort(java.util.Comparator.comparingInt(String::length).reversed());
        for (String marker : markers) {
            doomed.add(ObjectIdentifier.builder().key(marker).build());
            if (doomed.size() >= limits.pageSize()) {
                deleteObjects(doomed);
                doomed.clear();
            }
        }
        if (!doomed.isEmpty()) {
            deleteObjects(doomed);
        }
    }

    @Override
    public void walk(String path, WalkVisitor visitor) throws IOException {
        for (FileInfo child : children(path).values()) {
            if (visitor.visit(child) && child.directory()) {
                try {
                    walk(child.path(), visitor);
                } catch (PathNotFoundException e) {
                    // deleted while we walked
                }
            }
        }
    }

    @Override
    public Optional<URI> redirectUrl(String path) {
        if (presigner == null) {
            return Optional.empty();
        }
        String key = key(path);
        return Optional.of(URI.create(presigner.presignGetObject(b -> b.signatureDuration(REDIRECT_LIFETIME)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString()));
    }

    @Override
    public void close() {
        background.close();
        s3.close();
        if (presigner != null) {
            presigner.close();
        }
    }

    /** The direct children of a directory, sorted by path, with what the listing says of each. */
    private TreeMap<String, FileInfo> children(String path) throws IOException {
        String prefix = "/".equals(path) ? root : key(path) + "/";
        TreeMap<String, FileInfo> children = new TreeMap<>();
        Iterator<ListObjectsV2Response> pages = pages(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/")
                .maxKeys(limits.pageSize()));
        while (call(pages::hasNext)) {
            ListObjectsV2Response page = call(pages::next);
            for (S3Object object : page.contents()) {
                if (object.key().length() > prefix.length()) { // a "directory marker" object named like the prefix is no child
                    String child = pathOf(object.key());
                    children.put(child, new FileInfo(child, object.size(), object.lastModified(), false));
                }
            }
            for (CommonPrefix common : page.commonPrefixes()) {
                String child = pathOf(common.prefix().substring(0, common.prefix().length() - 1));
                children.putIfAbsent(child, new FileInfo(child, 0, Instant.EPOCH, true));
            }
        }
        if (children.isEmpty() && !"/".equals(path)) {
            throw new PathNotFoundException(path);
        }
        return children;
    }

    /**
     * The pages of a listing, fetched one at a time by the SDK's paginator as they are read; read
     * them through {@link #call}, since each {@code hasNext}/{@code next} may be a request.
     */
    private Iterator<ListObjectsV2Response> pages(ListObjectsV2Request.Builder request) {
        return s3.listObjectsV2Paginator(request.build()).iterator();
    }

    private void copyInParts(String from, String to, long size) throws IOException {
        String uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId());
        try {
            List<CompletedPart> parts = copyParts(from, to, uploadId, size, 1);
            call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
        } catch (IOException | RuntimeException e) {
            abort(to, uploadId, e);
            throw e;
        }
    }

    /**
     * Copies {@code [0, size)} of {@code from} into parts of the multipart upload, in equal ranges
     * no larger than a copy may be, so none of them falls under S3's minimum part size.
     */
    private List<CompletedPart> copyParts(String from, String to, String uploadId, long size, int firstPart) throws IOException {
        long count = (size + limits.copyPartSize() - 1) / limits.copyPartSize();
        long each = (size + count - 1) / count;
        List<CompletedPart> parts = new ArrayList<>();
        for (long start = 0; start < size; start += each) {
            long end = Math.min(size, start + each) - 1;
            int number = firstPart + parts.size();
            String range = "bytes=" + start + "-" + end;
            String etag = call(() -> s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                    .destinationKey(to).uploadId(uploadId).partNumber(number).copySourceRange(range)).copyPartResult().eTag());
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        return parts;
    }

    /**
     * One {@code DeleteObjects} per page of keys. Stores that refuse it (S3Proxy 2.6 answers 501 to the
     * {@code x-amz-checksum-crc32} header the AWS SDK has sent with it since 2.30) get one
     * {@code DeleteObject} per key instead, from then on.
     */
    private void deleteObjects(List<ObjectIdentifier> keys) throws IOException {
        List<ObjectIdentifier> batch = List.copyOf(keys);
        if (batchDeletes) {
            try {
                var response = call(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true))));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var first = response.errors().getFirst();
                    throw new IOException("S3 refused to delete " + response.errors().size() + " keys, e.g. " + first.key() + ": "
                            + first.code() + " " + first.message());
                }
                return;
            } catch (S3Exception e) {
                if (e.statusCode() != 501) {
                    throw new IOException("S3 DeleteObjects failed: " + e.getMessage(), e);
                }
                batchDeletes = false;
                LOG.info("The S3 store does not implement DeleteObjects as the AWS SDK sends it ({}); deleting key by key", e.getMessage());
            }
        }
        for (ObjectIdentifier key : batch) {
            call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key.key())));
        }
    }

    private void abort(String key, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e); // a lifecycle rule removes what is left
        }
    }

    private Optional<HeadObjectResponse> head(String key) throws IOException {
        try {
            return Optional.of(call(() -> s3.headObject(b -> b.bucket(bucket).key(key))));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 HeadObject of " + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Maps a storage path to its key; anything that is not a storage path is a programming error. */
    String key(String path) {
        if (!PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            throw new IllegalArgumentException("not a storage path: " + path);
        }
        return root + path.substring(1);
    }

    private String pathOf(String key) {
        return "/" + key.substring(root.length());
    }

    private static IOException notFoundOr(S3Exception e, String path) {
        if (e.statusCode() == 404) {
            return new PathNotFoundException(path);
        }
        return new IOException("S3 request for " + path + " failed: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T call();
    }

    /**
     * Runs an S3 request; a failure other than an S3 error answer (connection refused, timeout) becomes
     * the IOException the registry's callers handle. S3 error answers stay {@link S3Exception}s for
     * the caller to tell "not found" from the rest.
     */
    private static <T> T call(S3Call<T> request) throws IOException {
        try {
            return request.call();
        } catch (S3Exception e) {
            throw e;
        } catch (SdkException e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        }
    }

    /** Closing a response before its end aborts the connection instead of draining the rest of a blob. */
    private static final class AbortingOnEarlyClose extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> body;
        private boolean ended;

        AbortingOnEarlyClose(ResponseInputStream<GetObjectResponse> body) {
            super(body);
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            ended |= read < 0;
            return read;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                body.abort();
            }
            super.close();
        }
    }

    /** See the class comment: a put or a multipart upload whose first part may be the existing object. */
    private final class ObjectWriter implements StorageWriter {
        private final String key;
        private final long existing;
        private final boolean append;
        private byte[] buffer = new byte[0];
        private int buffered;
        private long written;
        private boolean started;
        private @Nullable String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();
        private @Nullable Future<CompletedPart> inFlight;
        private byte @Nullable [] inFlightBuffer;
        private byte @Nullable [] spare;
        private boolean open = true;

        ObjectWriter(String key, long existing, boolean append) {
            this.key = key;
            this.existing = existing;
            this.append = append;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            requireOpen();
            start();
            int count = source.remaining();
            while (source.hasRemaining()) {
                if (buffered == buffer.length) {
                    if (buffer.length == limits.partSize()) {
                        sendPart();
                    } else {
                        grow();
                    }
                }
                int n = Math.min(source.remaining(), buffer.length - buffered);
                source.get(buffer, buffered, n);
                buffered += n;
            }
            written += count;
            return count;
        }

        @Override
        public long size() {
            return existing + written;
        }

        @Override
        public void commit() throws IOException {
            requireOpen();
            try {
                if (!started) {
                    if (!append || existing == 0) {
                        // An empty writer truncates (or creates) the file; an empty append changes nothing.
                        putBuffered();
                    }
                } else if (uploadId == null) {
                    putBuffered();
                } else {
                    if (buffered > 0) {
                        sendPart();
                    }
                    awaitInFlight();
                    String id = uploadId;
                    List<CompletedPart> all = List.copyOf(parts);
                    call(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(all))));
                    uploadId = null;
                }
            } finally {
                open = false;
                release();
            }
        }

        @Override
        public void cancel() throws IOException {
            close();
            try {
                call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
            } catch (S3Exception e) {
                throw notFoundOr(e, key);
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        /** Without a commit nothing written becomes visible: the multipart upload, if any, is aborted. */
        @Override
        public void close() {
            open = false;
            release();
        }

        private void release() {
            if (inFlight != null) {
                inFlight.cancel(true);
                inFlight = null;
            }
            if (uploadId != null) {
                String id = uploadId;
                uploadId = null;
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
                } catch (SdkException e) {
                    // The lifecycle rule removes it; the object is unchanged either way.
                }
            }
            buffer = new byte[0];
            spare = null;
            inFlightBuffer = null;
        }

        /** An append starts from the existing object: copied in the store, or read back when too small for a part. */
        private void start() throws IOException {
            if (started) {
                return;
            }
            started = true;
            if (existing == 0) {
                return;
            }
            if (existing >= MINIMUM_PART) {
                beginMultipart();
                parts.addAll(copyParts(key, key, uploadId, existing, 1));
            } else {
                buffer = new byte[(int) Math.max(FIRST_BUFFER, Math.min(limits.partSize(), Integer.highestOneBit((int) existing) * 2L))];
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=0-" + (existing - 1)))) {
                    buffered = in.readNBytes(buffer, 0, (int) existing);
                } catch (SdkException e) {
                    throw new IOException("S3 could not read " + key + " to append to it: " + e.getMessage(), e);
                }
                if (buffered != existing) {
                    throw new IOException(key + " changed while a writer appended to it");
                }
            }
        }

        private void grow() {
            int size = Math.min(limits.partSize(), Math.max(FIRST_BUFFER, buffer.length * 2));
            buffer = java.util.Arrays.copyOf(buffer, size);
        }

        private void beginMultipart() throws IOException {
            if (uploadId == null) {
                uploadId = call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId());
            }
        }

        /** Hands the buffer to a part upload, waits for the previous one, and continues in a fresh buffer. */
        private void sendPart() throws IOException {
            beginMultipart();
            awaitInFlight();
            byte[] bytes = buffer;
            int length = buffered;
            int number = parts.size() + 1;
            String id = uploadId;
            inFlight = background.submit(() -> {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream"))
                        .eTag();
                return CompletedPart.builder().partNumber(number).eTag(etag).build();
            });
            inFlightBuffer = bytes;
            // From the first full part on, the stream is large: the next buffer is full-size at once.
            buffer = spare != null ? spare : new byte[limits.partSize()];
            spare = null;
            buffered = 0;
        }

        private void awaitInFlight() throws IOException {
            if (inFlight == null) {
                return;
            }
            try {
                parts.add(inFlight.get());
                inFlight = null;
                spare = inFlightBuffer != null && inFlightBuffer.length == limits.partSize() ? inFlightBuffer : null;
                inFlightBuffer = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading a part of " + key);
            } catch (ExecutionException e) {
                inFlight = null;
                throw new IOException("S3 refused a part of " + key + ": " + e.getCause().getMessage(), e.getCause());
            }
        }

        private void putBuffered() throws IOException {
            byte[] bytes = buffer;
            int length = buffered;
            call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream")));
        }

        private void requireOpen() throws IOException {
            if (!open) {
                throw new IOException("the writer of " + key + " is closed");
            }
        }
    }

    @Override
    public String toString() {
        return "S3Driver[bucket=" + bucket + ", prefix=" + root + "]";
    }
}
