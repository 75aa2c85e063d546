#pragma once

#include "stagespainter.h"

#include "padlab/core/stages.h"

#include <QWidget>

class QLabel;
class QScrollArea;
class QSpinBox;

namespace padlab::ui {

class Session;
class StagesCanvas;

/**
 * The Stages mode: the session's kernel applied 1 to 20 times in a row.
 *
 * A row on top holds the number of stages (a spin box bound to Session::stageCount()) and a
 * line saying what the current amount and fill do to each stage; below, the stages painted by
 * StagesPainter, in a scroll area when the window is small.
 *
 * While visible it asks the session for the stages part, which the session computes once per
 * input, kernel, spec and stage count, at once or on a worker as for every computation. The
 * chain drawn is the newest snapshot that has it: while a newer one is computed the previous
 * chain stays, consistent with itself and marked as being recomputed.
 */
class StagesView : public QWidget {
    Q_OBJECT

public:
    explicit StagesView(Session *session, QWidget *parent = nullptr);
    ~StagesView() override;

    /// The options the stages are painted with: the session's look, and whether a newer chain
    /// is being computed.
    StagesOptions options() const;
    /// The snapshot the stages are painted from.
    SnapshotPtr shown() const { return m_shown; }

    /// The chain drawn (empty before the view was first shown).
    const core::StageChain &chain() const;
    /// Whether a newer chain is being computed.
    bool isComputing() const;
    /// The line describing what the amount and fill do to each stage.
    QString effectText() const;

Q_SIGNALS:
    /// A newly computed chain is drawn.
    void chainChanged();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void snapshotChanged();
    void viewSettingsChanged();
    void lookChanged();

    Session *m_session;
    SnapshotPtr m_shown;
    bool m_needs = false;
    QSpinBox *m_count = nullptr;
    QLabel *m_effect = nullptr;
    QScrollArea *m_scroll = nullptr;
    StagesCanvas *m_canvas = nullptr;
};

} // namespace padlab::ui
