#include "help.h"

#include "lessons.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace padlab::cli {

namespace {

constexpr int kHelpWidth = 79;

/// @p text as lines of at most kHelpWidth characters: the first after @p start, the others
/// after @p indent spaces.
QString wrap(const QString &text, int indent, const QString &start)
{
    QString result;
    QString line = start;
    bool lineHasWord = false;
    // An optional part of a synopsis, such as "[--stride S]", stays on one line.
    QStringList words;
    for (const auto &piece : text.split(' ', Qt::SkipEmptyParts)) {
        if (!words.isEmpty() && words.constLast().count('[') > words.constLast().count(']'))
            words.last() += ' ' + piece;
        else
            words << piece;
    }
    for (const auto &word : words) {
        if (lineHasWord && line.size() + 1 + word.size() > kHelpWidth) {
            result += line + '\n';
            line = QString(indent, ' ');
            lineHasWord = false;
        }
        line += (lineHasWord ? " " : "") + word;
        lineHasWord = true;
    }
    return result + line + '\n';
}

QString wrap(const QString &text, int indent = 0)
{
    return wrap(text, indent, QString(indent, ' '));
}

QString optionLabel(const OptionDef &def)
{
    QStringList names;
    for (const auto &name : def.names)
        names << (name.size() == 1 ? "-" : "--") + name;
    QString label = names.join(", ");
    if (!def.valueName.isEmpty())
        label += ' ' + def.valueName;
    return label;
}

/// Two columns: a label and its description, wrapped under the description column.
QString table(const std::vector<std::pair<QString, QString>> &rows)
{
    qsizetype labelWidth = 0;
    for (const auto &row : rows)
        labelWidth = std::max(labelWidth, row.first.size());
    const int column = static_cast<int>(std::min<qsizetype>(labelWidth, 24)) + 4;
    QString text;
    for (const auto &[label, description] : rows) {
        const QString head = "  " + label;
        if (head.size() + 2 <= column)
            text += wrap(description, column, head.leftJustified(column));
        else
            text += head + '\n' + wrap(description, column);
    }
    return text;
}

} // namespace

QString commandHelp(const Command &command)
{
    QString text = wrap("Usage: padlab " + command.name + ' ' + command.synopsis, 4, {});
    text += '\n' + wrap(command.summary);
    if (!command.argument.isEmpty())
        text += "\nArguments:\n" + table({{command.argument, command.argumentHelp}});
    std::vector<std::pair<QString, QString>> rows;
    for (const auto &key : command.options) {
        const auto &def = optionDef(key);
        rows.emplace_back(optionLabel(def), def.description);
    }
    text += "\nOptions:\n" + table(rows);
    text += '\n' + wrap("Errors end with exit status 2 and one line 'padlab: error: ...' on "
                        "standard error; no output file is left behind.");
    return text;
}

QString topHelp()
{
    QString text = "Usage: padlab COMMAND [OPTIONS]\n       padlab [FILE | lesson:NAME] [QT OPTIONS]\n\n";
    text += wrap("PadLab shows what padding does to a convolution. Without a command it opens its "
                 "window, on FILE (an image or a lesson), on the built-in lesson NAME or on a "
                 "built-in sample; Qt's own options (-platform, -style, -stylesheet, -geometry, "
                 "-reverse, ...) go to the window. The commands run without a display:");
    text += '\n';
    for (const auto &command : commands())
        text += wrap("padlab " + command.name + ' ' + command.synopsis, 6, "  ");
    text += "\nCommands:\n";
    std::vector<std::pair<QString, QString>> commandRows;
    for (const auto &command : commands())
        commandRows.emplace_back(command.name, command.summary);
    text += table(commandRows);
    text += "\nArguments:\n" + table({{"INPUT", commands().front().argumentHelp}});
    text += "\nBuilt-in lessons (lesson:NAME for the window, pad, conv, code and render):\n";
    std::vector<std::pair<QString, QString>> lessonRows;
    for (const auto &lesson : ui::builtinLessons())
        lessonRows.emplace_back(lesson.id, lesson.title);
    text += table(lessonRows);
    text += "\nOptions:\n";
    std::vector<std::pair<QString, QString>> optionRows;
    for (const auto &def : optionDefs())
        optionRows.emplace_back(optionLabel(def), def.description);
    optionRows.emplace_back("--version", "Show the version and exit.");
    text += table(optionRows);
    text += '\n' + wrap("Run 'padlab COMMAND --help' for one command's options. Errors end with "
                        "exit status 2 and one line 'padlab: error: ...' on standard error; no "
                        "output file is left behind.");
    return text;
}

} // namespace padlab::cli
