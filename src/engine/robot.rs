//! The robot: the recorded one, else one of ours with the spec's name (or
//! any with that name when the caller says adopt), else a new one — created
//! so that a lost answer never leads to a second robot.

use crate::spec::ConnectionSpec;
use crate::state::Connection;
use crate::upbound::{Organization, Robot};

use super::{Engine, EngineError, OWNERSHIP_MARKER, Observer, Step};

/// The robot this connection uses among the organization's `robots`.
pub(super) fn find(
    robots: &[Robot],
    spec: &ConnectionSpec,
    recorded: Option<&Connection>,
) -> Option<Robot> {
    let recorded_id = recorded.and_then(|recorded| recorded.robot_id.as_deref());
    if let Some(robot) = robots
        .iter()
        .find(|robot| Some(robot.id.as_str()) == recorded_id)
    {
        return Some(robot.clone());
    }
    find_by_name(robots, spec)
}

/// A robot with the spec's name that is ours (or any, when adopting).
fn find_by_name(robots: &[Robot], spec: &ConnectionSpec) -> Option<Robot> {
    let named: Vec<&Robot> = robots
        .iter()
        .filter(|robot| robot.name == spec.robot_name)
        .collect();
    named
        .iter()
        .find(|robot| is_ours(robot))
        .or_else(|| named.first().filter(|_| spec.adopt_robot))
        .map(|robot| (*robot).clone())
}

/// Whether the robot's description carries our ownership marker.
pub(super) fn is_ours(robot: &Robot) -> bool {
    robot.description.ends_with(OWNERSHIP_MARKER)
}

impl Engine {
    /// The robot to use: `found` (reported as kept or adopted), else a new one.
    pub(super) async fn ensure_robot(
        &self,
        spec: &ConnectionSpec,
        organization: &Organization,
        found: Option<Robot>,
        recorded: Option<&Connection>,
        observer: &dyn Observer,
    ) -> Result<Robot, EngineError> {
        if let Some(robot) = found {
            let recorded_id = recorded.and_then(|recorded| recorded.robot_id.as_deref());
            let id = robot.id.clone();
            observer.step(if Some(id.as_str()) == recorded_id {
                Step::RobotKept { id }
            } else {
                Step::RobotAdopted { id }
            });
            return Ok(robot);
        }
        let description = format!("{}{OWNERSHIP_MARKER}", spec.robot_description);
        let mut first = true;
        let robot = self
            .retry
            .run(|| {
                let lost_answer = !std::mem::take(&mut first);
                let description = &description;
                async move {
                    // A failed create may have happened anyway: look before
                    // creating again.
                    if lost_answer {
                        let robots = self.upbound.robots(organization.id).await?;
                        if let Some(robot) = find_by_name(&robots, spec) {
                            return Ok(robot);
                        }
                    }
                    self.upbound
                        .create_robot(organization.id, &spec.robot_name, description)
                        .await
                }
            })
            .await?;
        observer.step(Step::RobotCreated {
            id: robot.id.clone(),
        });
        Ok(robot)
    }
}
