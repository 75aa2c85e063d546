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
 * The comparison is computed through the engine only while the view is visible, and only when
 * the session's input, kernel, spec or compare-by changed since the last one; a new reference
 * only recomputes the difference maps. Inputs above kAsyncCells cells are computed on a worker
 * thread, as the session computes large inputs (six convolutions, their differences and the
 * grid take about 120 ms per megapixel); the previous grid stays until the new one is ready,
 * and a newer request makes an older result stale.
 */
class CompareView : public QWidget {
    Q_OBJECT

public:
    /// Inputs with more cells than this are compared off the GUI thread.
    static constexpr long long kAsyncCells = 250'000;

    explicit CompareView(Session *session, QWidget *parent = nullptr);
    ~CompareView() override;

    void setFontScale(double scale);
    void setDark(bool dark);

    /// The comparison drawn, or nullptr when there is none (not yet computed, or refused).
    const core::Comparison *comparison() const;
    /// The options the grid is drawn with.
    CompareOptions options() const;
    /// The widget the grid is painted on; ComparePainter's geometry helpers apply to its rect().
    QWidget *canvas() const;
    /// Whether a worker is computing a newer comparison.
    bool isComputing() const;
    /// Why the engine refused the last request, or empty.
    QString errorString() const;

Q_SIGNALS:
    /// A new comparison (or a new reference on it) is ready and drawn.
    void comparisonChanged();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void refresh();
    void syncControls();
    void finish(std::shared_ptr<core::Comparison> comparison, const QString &error);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace padlab::ui
