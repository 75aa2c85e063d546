#pragma once

#include <QObject>

class QWidget;

namespace padlab::ui {

/**
 * Keeps the mouse wheel from changing a setting on its way through a scrolling page: a guarded
 * box, spin box or slider turns with the wheel only once it has been clicked or tabbed to;
 * otherwise the wheel scrolls the nearest enclosing scroll area that can still move that way.
 */
class WheelGuard : public QObject {
    Q_OBJECT
public:
    /// Guards @p control (and gives it Qt::StrongFocus, so a click gives it the wheel).
    static void install(QWidget *control);
    /// Guards every combo box, spin box and slider inside @p root.
    static void installAll(QWidget *root);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};

} // namespace padlab::ui
