#pragma once

#include "comparepainter.h"

#include "padlab/core/compare.h"

#include <QWidget>

#include <memory>

class QButtonGroup;
class QComboBox;
class QLabel;

namespace padlab::ui {

class Session;

/**
 * The Compare mode: a toolbar row (compare fills or amounts, the reference) above the grid
 * that ComparePainter draws, fitted to the widget. Clicking a column makes it the reference.
 *
 * While visible it asks the session for the comparison part, which the session computes once
 * per input, kernel, spec, compare-by and reference (a new reference only recomputes the
 * difference maps), at once or on a worker as for every computation. The grid drawn is the newest
 * snapshot that has it: the previous grid stays, consistent with itself, until the new one is in.
 */
class CompareView : public QWidget {
    Q_OBJECT

public:
    explicit CompareView(Session *session, QWidget *parent = nullptr);
    ~CompareView() override;

    /// The comparison drawn, or nullptr when there is none (not yet computed, or refused).
    const core::Comparison *comparison() const;
    /// The options the grid is drawn with.
    CompareOptions options() const;
    /// The widget the grid is painted on; ComparePainter's geometry helpers apply to its rect().
    QWidget *canvas() const;
    /// Whether a newer comparison is being computed.
    bool isComputing() const;
    /// Why the engine refused the last request, or empty.
    QString errorString() const;

Q_SIGNALS:
    /// A new comparison (or a new reference on it) is ready and drawn.
    void comparisonChanged();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void snapshotChanged();
    void lookChanged();
    void syncControls();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace padlab::ui
