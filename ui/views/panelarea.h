#pragma once

#include <QRect>
#include <QWidget>
#include <vector>

namespace padlab::ui {

/// How the panels of the sliding-window view share their space.
enum class Arrangement {
    Auto,  ///< one row or two by two, whichever gives each panel the larger square
    Row,   ///< side by side
    Grid,  ///< two by two (two columns; a single panel fills the area)
    Large, ///< the first panel large on the left, the others small, stacked at its right
};

/// The rectangles of @p count panels inside @p area, @p spacing pixels apart, in the order the
/// panels are given. Auto resolves to Row or Grid; see resolvedArrangement().
std::vector<QRect> arrangePanels(const QRect &area, int count, Arrangement arrangement, int spacing);

/// What Auto becomes for @p count panels in @p size (Row or Grid); other arrangements as given.
Arrangement resolvedArrangement(const QSize &size, int count, Arrangement arrangement, int spacing);

/**
 * Holds the panels of the sliding-window view and places them for the area's shape: in a wide
 * window one row, in a squarer one two by two, so that the cells stay as large as the screen
 * allows. Which panels are shown, and in which order, is up to the window (presenter mode
 * shows a chosen few); hidden panels are kept, not destroyed.
 */
class PanelArea : public QWidget {
    Q_OBJECT

public:
    explicit PanelArea(QWidget *parent = nullptr);

    /// The panels to show, in order; the other children are hidden.
    void setPanels(const std::vector<QWidget *> &panels);
    const std::vector<QWidget *> &panels() const { return m_panels; }
    void setArrangement(Arrangement arrangement);
    Arrangement arrangement() const { return m_arrangement; }
    /// The arrangement in use at the current size (Auto resolved).
    Arrangement resolved() const;
    void setSpacing(int spacing);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

Q_SIGNALS:
    /// The panels moved or were resized (after setPanels(), setArrangement() or a resize).
    void arranged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void place();

    std::vector<QWidget *> m_panels;
    Arrangement m_arrangement = Arrangement::Auto;
    int m_spacing = 6;
};

} // namespace padlab::ui
