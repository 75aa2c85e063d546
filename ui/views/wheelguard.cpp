#include "wheelguard.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QScrollBar>
#include <QWheelEvent>
#include <QWidget>

#include <cstdlib>

namespace padlab::ui {

namespace {

WheelGuard *instance()
{
    static auto *guard = [] {
        auto *g = new WheelGuard(qApp);
        return g;
    }();
    return guard;
}

bool canScroll(const QScrollBar *bar, int delta)
{
    return bar->isVisible() && (delta < 0 ? bar->value() < bar->maximum() : bar->value() > bar->minimum());
}

} // namespace

void WheelGuard::install(QWidget *control)
{
    control->setFocusPolicy(Qt::StrongFocus);
    control->installEventFilter(instance());
}

void WheelGuard::installAll(QWidget *root)
{
    for (QWidget *control : root->findChildren<QWidget *>()) {
        if (qobject_cast<QComboBox *>(control) || qobject_cast<QAbstractSpinBox *>(control)
            || qobject_cast<QAbstractSlider *>(control))
            install(control);
    }
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    auto *control = qobject_cast<QWidget *>(watched);
    if (event->type() != QEvent::Wheel || !control || control->hasFocus())
        return QObject::eventFilter(watched, event);
    const auto *wheel = static_cast<QWheelEvent *>(event);
    const QPoint delta = wheel->angleDelta();
    const bool vertical = std::abs(delta.y()) >= std::abs(delta.x());
    const int amount = vertical ? delta.y() : delta.x();
    for (QWidget *w = control->parentWidget(); w; w = w->parentWidget()) {
        auto *area = qobject_cast<QAbstractScrollArea *>(w);
        if (!area || !area->viewport()->isAncestorOf(control))
            continue;
        QScrollBar *bar = vertical ? area->verticalScrollBar() : area->horizontalScrollBar();
        if (canScroll(bar, amount)) {
            QApplication::sendEvent(bar, event);
            break;
        }
    }
    return true;
}

} // namespace padlab::ui
