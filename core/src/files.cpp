#include "padlab/core/files.h"

#include "padlab/core/budget.h"
#include "padlab/core/error.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace padlab::core {

namespace {

// ---- removing named temporaries on a signal ---------------------------------------------------
// A fixed table, so that the handler reads nothing but atomics and bytes already in place and
// calls nothing but unlink, sigaction and raise (all async-signal-safe).

constexpr int kCleanupSlots = 32;

struct CleanupSlot {
    std::atomic<int> state{0}; // 0 free, 1 being filled, 2 armed
    char path[PATH_MAX] = {};
};

std::array<CleanupSlot, kCleanupSlots> cleanupSlots;
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void removeTemporariesAndDie(int signal)
{
    for (CleanupSlot &slot : cleanupSlots) {
        if (slot.state.load(std::memory_order_acquire) == 2)
            ::unlink(slot.path);
    }
    struct sigaction original = {};
    original.sa_handler = SIG_DFL;
    sigemptyset(&original.sa_mask);
    ::sigaction(signal, &original, nullptr);
    // Delivered with its default action once this handler returns: the process ends as the
    // sender meant, its exit status telling which signal it was.
    ::raise(signal);
}

/// Looked at whenever a temporary is named, so that a default action restored meanwhile is
/// taken over again.
void installCleanupHandlers()
{
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction current = {};
        if (::sigaction(signal, nullptr, &current) != 0)
            continue;
        // A program that handles or ignores the signal itself keeps doing so.
        if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL)
            continue;
        struct sigaction action = {};
        action.sa_handler = removeTemporariesAndDie;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(signal, &action, nullptr);
    }
}

/// Registers @p path for removal on a signal; -1 when the table is full (the file is then
/// only removed by its owner).
int armCleanup(const std::string &path)
{
    if (path.size() >= PATH_MAX)
        return -1;
    installCleanupHandlers();
    for (int i = 0; i < kCleanupSlots; ++i) {
        int expected = 0;
        CleanupSlot &slot = cleanupSlots[static_cast<size_t>(i)];
        if (slot.state.compare_exchange_strong(expected, 1, std::memory_order_acq_rel)) {
            std::memcpy(slot.path, path.c_str(), path.size() + 1);
            slot.state.store(2, std::memory_order_release);
            return i;
        }
    }
    return -1;
}

void disarmCleanup(int &slot)
{
    if (slot >= 0)
        cleanupSlots[static_cast<size_t>(slot)].state.store(0, std::memory_order_release);
    slot = -1;
}

// ---- paths ----------------------------------------------------------------------------------

std::string folderOf(const std::string &path)
{
    const std::string parent = std::filesystem::path(path).parent_path().string();
    return parent.empty() ? std::string(".") : parent;
}

std::string nameOf(const std::string &path)
{
    return std::filesystem::path(path).filename().string();
}

/// @p path with every symbolic link of its last component followed; the result may not exist
/// (a new file, or a link that leads nowhere yet).
std::string followLinks(std::string path)
{
    for (int hop = 0; hop < 40; ++hop) {
        struct stat st = {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
            return path;
        std::vector<char> buffer(PATH_MAX + 1);
        const ssize_t length = ::readlink(path.c_str(), buffer.data(), buffer.size() - 1);
        if (length < 0)
            return path;
        const std::string link(buffer.data(), static_cast<size_t>(length));
        path = link.front() == '/' ? link : folderOf(path) + "/" + link;
    }
    throw Error(path + ": too many levels of symbolic links");
}

std::string inQuotes(const std::string &path)
{
    return "'" + path + "'";
}

const char *kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/// A name in @p folder that does not exist yet: `.BASE-XXXXXX` + @p suffix, BASE cut to 40
/// bytes so that a target whose name is as long as names may be still gets a temporary.
std::string hiddenName(const std::string &folder, const std::string &base, std::string_view suffix)
{
    static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::string name = folder + "/." + base.substr(0, 40) + "-";
    for (int i = 0; i < 6; ++i)
        name += letters[random() % (sizeof(letters) - 1)];
    return name + std::string(suffix);
}

std::string systemError(int error)
{
    return std::strerror(error);
}

/// A new hidden file `.BASE-XXXXXX` + @p suffix in @p folder, opened with @p flags and
/// registered for removal on a signal; its name and clean-up slot go to @p name and @p slot.
/// -1 with errno set when the folder takes no new file.
int createHidden(const std::string &folder, const std::string &base, std::string_view suffix, int flags,
                 mode_t mode, std::string &name, int &slot)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        name = hiddenName(folder, base, suffix);
        slot = armCleanup(name);
        const int fd = ::open(name.c_str(), O_CREAT | O_EXCL | O_CLOEXEC | flags, mode);
        if (fd >= 0)
            return fd;
        const int error = errno;
        disarmCleanup(slot);
        name.clear();
        if (error != EEXIST) {
            errno = error;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

} // namespace

std::string readRegularFile(const std::string &path, std::uint64_t maxBytes, std::string_view kind)
{
    const std::string what(kind);
    // Checked before opening: opening a device may already do something (rewind a tape, wait
    // for a modem), and opening a FIFO without O_NONBLOCK waits for a writer.
    struct stat st = {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path + ": cannot open the file (" + systemError(errno) + ")");
    if (S_ISDIR(st.st_mode))
        throw Error(path + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": is " + kindOf(st.st_mode) + ", not a regular file; only regular files are read");
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        throw Error(path + ": cannot open the file (" + systemError(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    // Whatever was swapped in between the two looks is judged by what was opened.
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw Error(path + ": is " + kindOf(st.st_mode) + ", not a regular file; only regular files are read");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > maxBytes)
        throw Error(path + ": the " + what + " is " + byteText(size) + ", more than the " + byteText(maxBytes) +
                    " this program reads");
    std::string bytes(static_cast<size_t>(size), '\0');
    size_t done = 0;
    // A file that grows while it is read is read up to the limit, and no further.
    while (true) {
        if (done == bytes.size()) {
            if (bytes.size() >= maxBytes + 1)
                throw Error(path + ": the " + what + " is more than the " + byteText(maxBytes) +
                            " this program reads");
            bytes.resize(static_cast<size_t>(std::min<std::uint64_t>(maxBytes + 1, bytes.size() + 65536)));
        }
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error(path + ": cannot read the file (" + systemError(errno) + ")");
        }
        if (n == 0)
            break;
        done += static_cast<size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

std::optional<std::string> pathInside(const std::string &folder, const std::string &relative)
{
    if (relative.empty() || relative.front() == '/')
        return std::nullopt;
    char *canonical = ::realpath(folder.c_str(), nullptr);
    if (canonical == nullptr)
        return std::nullopt;
    const std::string base = canonical;
    std::free(canonical);
    const auto inside = [&](const std::string &path) {
        return path == base || (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
                                (base == "/" || path[base.size()] == '/'));
    };
    const auto split = [](const std::string &text) {
        std::vector<std::string> parts;
        std::string part;
        for (const char c : text) {
            if (c == '/') {
                parts.push_back(part);
                part.clear();
            } else {
                part += c;
            }
        }
        parts.push_back(part);
        return parts;
    };
    // The components still to walk, the next one last; `current` is always resolved and inside.
    std::vector<std::string> pending = split(relative);
    std::reverse(pending.begin(), pending.end());
    std::string current = base;
    bool exists = true; // past a missing component the rest is walked by name only
    int links = 0;
    while (!pending.empty()) {
        const std::string part = std::move(pending.back());
        pending.pop_back();
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (current == base)
                return std::nullopt;
            current = folderOf(current);
            continue;
        }
        const std::string next = current == "/" ? "/" + part : current + "/" + part;
        struct stat st = {};
        if (exists && ::lstat(next.c_str(), &st) != 0)
            exists = false;
        if (!exists || !S_ISLNK(st.st_mode)) {
            current = next;
            continue;
        }
        if (++links > 40)
            return std::nullopt;
        std::vector<char> buffer(PATH_MAX + 1);
        const ssize_t length = ::readlink(next.c_str(), buffer.data(), buffer.size() - 1);
        if (length <= 0)
            return std::nullopt;
        std::string target(buffer.data(), static_cast<size_t>(length));
        if (target.front() == '/') {
            // Followed only into the folder: the rest of the target is walked from the folder.
            const std::string normal = std::filesystem::path(target).lexically_normal().string();
            if (!inside(normal))
                return std::nullopt;
            current = base;
            target = normal.substr(std::min(normal.size(), base.size() + (base == "/" ? 0 : 1)));
        }
        std::vector<std::string> parts = split(target);
        pending.insert(pending.end(), parts.rbegin(), parts.rend());
    }
    return current;
}

std::optional<std::string> outputProblem(const std::string &path)
{
    if (path.empty())
        return std::string("the output file name is empty");
    std::string target;
    try {
        target = followLinks(path);
    } catch (const Error &e) {
        return std::string(e.what());
    }
    const std::string through = target == path ? std::string() : " (where " + inQuotes(path) + " leads)";
    struct stat st = {};
    if (::stat(target.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return inQuotes(target) + through + " is a folder, not a file";
        if (!S_ISREG(st.st_mode))
            return inQuotes(target) + through + " is " + kindOf(st.st_mode) +
                   ", not a regular file: only regular files are replaced";
    } else if (errno != ENOENT) {
        return "cannot write " + inQuotes(path) + ": " + systemError(errno);
    }
    const std::string folder = folderOf(target);
    if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return "output folder " + inQuotes(folder) + " does not exist";
    return std::nullopt;
}

bool sameFile(const std::string &a, const std::string &b)
{
    struct stat first = {};
    struct stat second = {};
    if (a.empty() || b.empty() || ::stat(a.c_str(), &first) != 0 || ::stat(b.c_str(), &second) != 0)
        return false;
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino;
}

OutputFile::OutputFile(const std::string &path) : m_path(path)
{
    if (const auto problem = outputProblem(path))
        throw Error(*problem);
    m_target = followLinks(path);
    m_folder = folderOf(m_target);
    try {
        open();
    } catch (...) {
        discard();
        throw;
    }
}

void OutputFile::open()
{
    struct stat existing = {};
    const bool replacing = ::stat(m_target.c_str(), &existing) == 0;
#ifdef O_TMPFILE
    m_fd = ::open(m_folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    m_unnamed = m_fd >= 0;
    if (m_fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT)
        fail("the folder " + inQuotes(m_folder) + " takes no new file", errno);
#endif
    if (m_fd < 0)
        m_fd = createHidden(m_folder, nameOf(m_target), {}, O_WRONLY, 0666, m_temporary, m_slot);
    if (m_fd < 0)
        fail("the folder " + inQuotes(m_folder) + " takes no new file", errno);
    if (replacing) {
        if (::fchmod(m_fd, existing.st_mode & 07777) != 0)
            fail("cannot keep the file's permissions", errno);
        // Only a privileged process may give the file to another owner; others keep their own.
        if (::fchown(m_fd, existing.st_uid, existing.st_gid) != 0) {
        }
    }
}

OutputFile::~OutputFile()
{
    discard();
}

void OutputFile::discard()
{
    if (!m_committed && !m_temporary.empty())
        ::unlink(m_temporary.c_str());
    disarmCleanup(m_slot);
    if (m_fd >= 0)
        ::close(std::exchange(m_fd, -1));
}

void OutputFile::fail(const std::string &what, int error) const
{
    throw Error("cannot write " + inQuotes(m_path) + ": " + what + " (" + systemError(error) + ")");
}

void OutputFile::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("the write failed", errno);
        }
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

void OutputFile::writeFrom(int source)
{
    std::vector<char> buffer(1 << 16);
    off_t offset = 0;
    while (true) {
        const ssize_t n = ::pread(source, buffer.data(), buffer.size(), offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("the scratch file cannot be read", errno);
        }
        if (n == 0)
            return;
        write(std::string_view(buffer.data(), static_cast<size_t>(n)));
        offset += n;
    }
}

void OutputFile::commit()
{
    if (::fdatasync(m_fd) != 0 && errno != EINVAL)
        fail("the data did not reach the disk", errno);
    if (m_unnamed) {
        // The unnamed file gets a hidden name for the instant of the rename.
        const std::string self = "/proc/self/fd/" + std::to_string(m_fd);
        for (int attempt = 0; m_temporary.empty() && attempt < 100; ++attempt) {
            const std::string name = hiddenName(m_folder, nameOf(m_target), {});
            m_slot = armCleanup(name);
            if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0 ||
                (errno == ENOENT && ::linkat(m_fd, "", AT_FDCWD, name.c_str(), AT_EMPTY_PATH) == 0)) {
                m_temporary = name;
                break;
            }
            const int error = errno;
            disarmCleanup(m_slot);
            if (error != EEXIST)
                fail("the file cannot be named", error);
        }
        if (m_temporary.empty())
            fail("no free temporary name", EEXIST);
    }
    // The target may have changed since the constructor looked: still only a file is replaced.
    struct stat st = {};
    if (::stat(m_target.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        throw Error(inQuotes(m_target) + " is " + kindOf(st.st_mode) + ", not a regular file: only regular files are replaced");
    if (::rename(m_temporary.c_str(), m_target.c_str()) != 0)
        fail("the file cannot be put in place", errno);
    disarmCleanup(m_slot);
    m_temporary.clear();
    m_committed = true;
    const int fd = std::exchange(m_fd, -1);
    if (::close(fd) != 0 && errno != EINTR)
        fail("the file cannot be closed", errno);
}

void writeOutputFile(const std::string &path, std::string_view bytes)
{
    OutputFile file(path);
    file.write(bytes);
    file.commit();
}

ScratchFile::ScratchFile(const std::string &folder, std::string_view suffix)
{
    m_fd = createHidden(folder, "padlab", suffix, O_RDWR, 0600, m_path, m_slot);
    if (m_fd < 0)
        throw Error("cannot write in " + inQuotes(folder) + ": " + systemError(errno));
}

ScratchFile::~ScratchFile()
{
    unlinkName();
    if (m_fd >= 0)
        ::close(m_fd);
}

void ScratchFile::unlinkName()
{
    if (m_slot >= 0 || !m_path.empty()) {
        ::unlink(m_path.c_str());
        disarmCleanup(m_slot);
        m_path.clear();
    }
}

} // namespace padlab::core
