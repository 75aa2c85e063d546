#pragma once

// The command line's options: one table of every option with its help, how a parsed command
// line is read, and how option values become the engine's settings.

#include "padlab/core/convt.h"
#include "padlab/core/budget.h"
#include "padlab/core/error.h"
#include "padlab/core/geometry.h"
#include "padlab/core/pool.h"
#include "padlab/core/tensor.h"
#include "padlab/core/tensorconv.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace padlab::cli {

/// A usage or I/O problem of the command line itself (the engine throws core::Error).
class CliError : public std::runtime_error {
public:
    explicit CliError(const QString &message) : std::runtime_error(message.toStdString()) {}
};

/// `padlab code`: the framework cannot express the settings (not a usage error: exit status 3).
class CannotExpress : public std::runtime_error {
public:
    explicit CannotExpress(const QString &message) : std::runtime_error(message.toStdString()) {}
};

struct OptionDef {
    QString key;
    QStringList names;
    QString valueName; ///< empty for a flag
    QString description;
};

/// Every option of every command, in the order `padlab --help` lists them.
const std::vector<OptionDef> &optionDefs();
/// The option of @p key; a key not in the table is a programming error.
const OptionDef &optionDef(const QString &key);
/// How the option is written on the command line, e.g. `--kernel-size` or `-o`.
QString optionText(const QString &key);

/// A parsed command line of one subcommand.
class Invocation {
public:
    /// @p command: its name; @p argument: the name of its positional argument; @p options: the
    /// keys of the options it takes.
    Invocation(const QString &command, const QString &argument, const QStringList &options,
               const QCommandLineParser &parser)
        : m_command(command), m_argument(argument), m_options(options), m_parser(parser)
    {
    }

    /// False for options the command does not take, so that shared parsing code may ask.
    bool isSet(const QString &key) const
    {
        return m_options.contains(key) && m_parser.isSet(optionDef(key).names.constLast());
    }
    QString value(const QString &key) const
    {
        return m_parser.value(optionDef(key).names.constLast());
    }

    QString required(const QString &key) const
    {
        if (!isSet(key)) {
            throw CliError(QStringLiteral("missing required option %1 %2 for 'padlab %3'")
                               .arg(optionText(key), optionDef(key).valueName, m_command));
        }
        return value(key);
    }

    /// The one positional argument, or an error naming what is missing or extra.
    QString argument() const
    {
        const QStringList positional = m_parser.positionalArguments();
        if (positional.isEmpty()) {
            throw CliError(QStringLiteral("missing %1 for 'padlab %2' (see 'padlab %2 --help')")
                               .arg(m_argument, m_command));
        }
        if (positional.size() > 1)
            throw CliError(QStringLiteral("unexpected argument '%1'").arg(positional.at(1)));
        return positional.constFirst();
    }

    void requireNoArgument() const
    {
        const QStringList positional = m_parser.positionalArguments();
        if (!positional.isEmpty())
            throw CliError(QStringLiteral("unexpected argument '%1'").arg(positional.constFirst()));
    }

private:
    QString m_command;
    QString m_argument;
    QStringList m_options;
    const QCommandLineParser &m_parser;
};

/// A file name as the operating system takes it.
std::string toLocal(const QString &text);

/// Runs an engine parser on an option's text; makes sure its message names the option.
template <typename Parse>
auto parseOption(const QString &option, Parse parse)
{
    try {
        return parse();
    } catch (const core::Error &error) {
        const std::string message = error.what();
        if (message.find(option.toStdString()) != std::string::npos)
            throw;
        throw core::Error(option.toStdString() + ": " + message);
    }
}

/// The options' spec; options that are not given keep @p base (a lesson's settings, or the
/// defaults).
core::ConvSpec convSpec(const Invocation &invocation, const core::ConvSpec &base = {});
/// --fill and --value on top of @p fill and @p value.
void fillOptions(const Invocation &invocation, core::Fill &fill, double &value);
/// --layout, or nullopt when it is not given.
std::optional<core::Layout> layoutOption(const Invocation &invocation);
/// An option of one number for every axis or one per axis (`3`, `3x5`, `2x3x3`), each at least
/// @p minimum; @p fallback when it is not given.
std::vector<int> axisOption(const Invocation &invocation, const QString &key, int minimum,
                            std::vector<int> fallback);
/// The spec of a tensor convolution: --pad, --fill, --value, --stride, --dilation, --groups,
/// --convolution; options that are not given keep @p base (a lesson's settings, or the defaults).
core::TensorConvSpec tensorConvSpec(const Invocation &invocation, const core::TensorConvSpec &base = {});
/// The pooling of @p text (max or avg, as --op says it).
core::PoolOp poolOp(const QString &text);
/// The spec of a pooling of @p op: --size, --stride, --dilation, --pad, --ceil, --count-pad.
core::PoolSpec poolSpec(const Invocation &invocation, core::PoolOp op);
/// The spec of a transposed convolution: --pad, --output-padding, --stride, --dilation, --groups.
core::ConvTSpec convtSpec(const Invocation &invocation);
/// How many spatial axes the options name, from lists with more than one value (a pad list
/// counts two numbers per axis); 0 when none says.
int optionRank(const Invocation &invocation);

/// The limits of this run: the defaults, then PADLAB_MAX_MEMORY and its kin, then the options.
core::Budget budgetOf(const Invocation &invocation);
/// A required size option, `N` or `NYxNX`.
core::PerAxis sizeOption(const Invocation &invocation, const QString &key);
/// A whole number of at least @p minimum.
int intOption(const Invocation &invocation, const QString &key, int minimum);
/// A number from @p low to @p high.
double numberOption(const Invocation &invocation, const QString &key, double low, double high);

} // namespace padlab::cli
