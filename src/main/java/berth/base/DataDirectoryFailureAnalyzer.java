package berth.base;

import berth.base.DataDirectoryCheck.DataDirectoryUnusableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unusable data directory into one plain sentence and what to do about it. */
class DataDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryUnusableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryUnusableException cause) {
        return new FailureAnalysis(
                "Berth cannot write to its data directory " + cause.directory() + ".",
                "Make that directory writable for this user, or point BERTH_DATA_DIR at one that is.",
                cause);
    }
}
