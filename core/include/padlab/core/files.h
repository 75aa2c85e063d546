#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace padlab::core {

/// @brief The largest files PadLab reads, by kind. Larger files are refused before they are read.
inline constexpr std::uint64_t kMaxCsvBytes = 256'000'000;
inline constexpr std::uint64_t kMaxLessonBytes = 64'000'000;
inline constexpr std::uint64_t kMaxImageFileBytes = 1'000'000'000;

/// @brief The whole content of the regular file @p path.
///
/// What is not a regular file (a device such as /dev/zero, a FIFO, a socket, a folder, or a
/// symbolic link to one of them) is refused at once, without blocking and without reading a
/// byte; so is a file larger than @p maxBytes. @p kind names the file in messages ("CSV file").
/// Throws Error naming @p path.
std::string readRegularFile(const std::string &path, std::uint64_t maxBytes, std::string_view kind);

/// @brief Where @p relative leads from @p folder, when that is inside @p folder (or below it):
/// the path with `.`, `..` and every symbolic link on the way resolved, the folder canonical.
/// nullopt when @p relative is absolute or empty, climbs out with `..`, or leads out through a
/// symbolic link. Only names inside @p folder are ever looked at, so the answer tells nothing
/// about anything outside it; the result may not exist.
std::optional<std::string> pathInside(const std::string &folder, const std::string &relative);

/// @brief Why @p path cannot be written as an output, or nullopt when it can: its folder is
/// missing, or it exists (directly or through symbolic links) and is not a regular file.
/// Checked before any work, so that a wrong name fails fast.
std::optional<std::string> outputProblem(const std::string &path);

/// @brief Whether @p a and @p b name the same existing file: the same device and inode once
/// symbolic links are followed, so another spelling of the path, a link to the file and a hard
/// link all count. False when either does not exist. An output that is its own input would
/// destroy what it is computed from.
bool sameFile(const std::string &a, const std::string &b);

/**
 * @brief An output file being written: the content goes to a temporary file beside the target
 * and replaces it in one step when commit() is called. Until then the target is untouched, and
 * a failure, an exception or a destruction without commit() leaves no trace.
 *
 * Only regular files are replaced: a target that exists and is not one (a device, a FIFO, a
 * folder) is refused. A symbolic link is followed: the file it leads to is replaced and the
 * link kept. A replaced file keeps its permission bits (and its owner where the process may
 * set it); a new one gets the usual ones (0666 less the umask).
 *
 * The temporary is an unnamed file (Linux O_TMPFILE) that the kernel removes on any crash,
 * named only for the instant of the final rename; where the file system has no unnamed files,
 * a hidden named one (`.NAME-XXXXXX`) is used. Named temporaries are removed on SIGINT, SIGTERM
 * and SIGHUP (a handler is installed where those signals have their default action).
 */
class OutputFile {
public:
    /// Throws Error when @p path cannot be written (see outputProblem()).
    explicit OutputFile(const std::string &path);
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    /// The file descriptor to write through, for writers that take one.
    int descriptor() const { return m_fd; }
    /// The file that commit() replaces: @p path with symbolic links followed.
    const std::string &target() const { return m_target; }
    /// The folder of target().
    const std::string &folder() const { return m_folder; }

    /// Appends @p bytes. Throws Error naming the output.
    void write(std::string_view bytes);
    /// Appends everything that the file descriptor @p source holds, from its start.
    void writeFrom(int source);
    /// Puts the content in place of the target. Throws Error naming the output.
    void commit();

private:
    void open();
    void discard();
    [[noreturn]] void fail(const std::string &what, int error) const;

    std::string m_path;
    std::string m_target;
    std::string m_folder;
    std::string m_temporary; ///< the named temporary; empty while the file is unnamed
    int m_fd = -1;
    int m_slot = -1; ///< the signal clean-up slot of m_temporary
    bool m_unnamed = false;
    bool m_committed = false;
};

/// @brief Writes @p bytes to @p path through an OutputFile. Throws Error naming the output.
void writeOutputFile(const std::string &path, std::string_view bytes);

/**
 * @brief A scratch file with a name, for writers that insist on opening a path themselves (a
 * video encoder chooses its container by the name's suffix). It lies in @p folder as a hidden
 * `.padlab-XXXXXX` + @p suffix, removed on SIGINT, SIGTERM and SIGHUP; unlinkName() removes the
 * name as soon as the writer has opened the file, after which a crash leaves nothing behind
 * and descriptor() still reads what the writer wrote.
 */
class ScratchFile {
public:
    /// Throws Error when the folder takes no new file.
    ScratchFile(const std::string &folder, std::string_view suffix);
    ~ScratchFile();
    ScratchFile(const ScratchFile &) = delete;
    ScratchFile &operator=(const ScratchFile &) = delete;

    const std::string &path() const { return m_path; }
    int descriptor() const { return m_fd; }
    void unlinkName();

private:
    std::string m_path;
    int m_fd = -1;
    int m_slot = -1;
};

} // namespace padlab::core
